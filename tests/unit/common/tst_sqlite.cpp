// SqliteDatabase / SqliteStatement on a real SQLite file: values keep their types both ways (an empty text
// is not NULL), rows are read once and the end does not start the statement again, a wrong number of
// values is an error, a reset statement no longer holds the reader's snapshot, a connection used on another
// thread or closed under a prepared statement says so.
#include "common/sqlite.h"
#include "testmain.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace fedsync;

class TestSqlite : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void valuesKeepTheirTypes();
    void rowsAreReadOnce();
    void wrongValueCountIsAnError();
    void errorsCarrySqlitesCode();
    void resetReleasesTheSnapshot();
    void otherThreadWarns();
    void closeUnderAStatementWarnsAndStaysSafe();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("t.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSqlite::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSqlite::valuesKeepTheirTypes()
{
    SqliteDatabase db;
    QVERIFY(!db.open(path(), 1000).isError());
    QVERIFY(!db.exec(QStringLiteral("CREATE TABLE t (i INTEGER, v)")).isError());
    SqliteStatement insert;
    QVERIFY(!db.prepare(QStringLiteral("INSERT INTO t VALUES (?, ?)"), insert).isError());
    const QString text = QStringLiteral("grüße, 日本, \U0001F600");
    const QList<QVariant> values = {
        QVariant(qint64(1) << 40),    QVariant(true),        QVariant(2.5), QVariant(text),
        QVariant(QStringLiteral("")), QVariant(QString()),   QVariant(),    QVariant(QByteArray("\0\1\2", 3)),
        QVariant(QByteArray("")),     QVariant(QByteArray())};
    for (int i = 0; i < values.size(); ++i)
        QVERIFY(!insert.exec({i, values.at(i)}).isError());
    QCOMPARE(insert.changes(), qint64(1));

    SqliteStatement select;
    QVERIFY(!db.prepare(QStringLiteral("SELECT v, typeof(v) FROM t ORDER BY i"), select).isError());
    QVERIFY(!select.exec().isError());
    const QList<std::pair<QVariant, QString>> expected = {
        {QVariant(qint64(1) << 40), QStringLiteral("integer")},
        {QVariant(qint64(1)), QStringLiteral("integer")},
        {QVariant(2.5), QStringLiteral("real")},
        {QVariant(text), QStringLiteral("text")},
        {QVariant(QStringLiteral("")), QStringLiteral("text")},
        {QVariant(), QStringLiteral("null")}, // a null QString is NULL
        {QVariant(), QStringLiteral("null")},
        {QVariant(QByteArray("\0\1\2", 3)), QStringLiteral("blob")},
        {QVariant(QByteArray("")), QStringLiteral("blob")},
        {QVariant(), QStringLiteral("null")}, // a null QByteArray is NULL
    };
    for (const auto &[value, type] : expected) {
        QVERIFY(select.next());
        QCOMPARE(select.value(1).toString(), type);
        QCOMPARE(select.isNull(0), !value.isValid());
        QCOMPARE(select.value(0), value);
        if (type == u"text")
            QVERIFY(!select.value(0).toString().isNull()); // the empty text is a value, not NULL
    }
    QVERIFY(!select.next());
    QVERIFY(!select.error().isError());
}

void TestSqlite::rowsAreReadOnce()
{
    SqliteDatabase db;
    QVERIFY(!db.open(path(), 1000).isError());
    SqliteStatement statement;
    QVERIFY(!db.prepare(QStringLiteral("SELECT 1 UNION ALL SELECT 2"), statement).isError());
    QVERIFY(!statement.exec().isError());
    QVERIFY(statement.next());
    QCOMPARE(statement.value(0).toInt(), 1);
    QVERIFY(statement.next());
    QCOMPARE(statement.value(0).toInt(), 2);
    QVERIFY(!statement.next());
    QVERIFY(!statement.next()); // SQLite would run it again if stepped after the end
    QVERIFY(!statement.value(0).isValid());
    QVERIFY(!statement.exec().isError()); // a new run starts over
    QVERIFY(statement.next());
    QCOMPARE(statement.value(0).toInt(), 1);
}

void TestSqlite::wrongValueCountIsAnError()
{
    SqliteDatabase db;
    QVERIFY(!db.open(path(), 1000).isError());
    SqliteStatement statement;
    QVERIFY(!db.prepare(QStringLiteral("SELECT ? || '?' || ?"), statement).isError());
    QCOMPARE(statement.parameterCount(), 2);
    const SqliteError error = statement.exec({QStringLiteral("a")});
    QVERIFY(error.isError());
    QCOMPARE(error.message, QStringLiteral("1 values for 2 placeholders"));
    QVERIFY(!statement.exec({QStringLiteral("a"), QStringLiteral("b")}).isError());
    QVERIFY(statement.next());
    QCOMPARE(statement.value(0).toString(), QStringLiteral("a?b"));
    // run(): prepare and execute in one, with the same checks.
    SqliteStatement once;
    QCOMPARE(db.run(QStringLiteral("SELECT ? + ?"), once, {1}).message,
             QStringLiteral("1 values for 2 placeholders"));
    QVERIFY(!db.run(QStringLiteral("SELECT ? + ?"), once, {1, 2}).isError());
    QVERIFY(once.next());
    QCOMPARE(once.value(0).toInt(), 3);
}

void TestSqlite::errorsCarrySqlitesCode()
{
    SqliteDatabase db;
    QVERIFY(!db.open(path(), 1000).isError());
    SqliteStatement statement;
    const SqliteError syntax = db.prepare(QStringLiteral("SELEC 1"), statement);
    QCOMPARE(syntax.code, 1); // SQLITE_ERROR
    QVERIFY2(syntax.message.contains(QStringLiteral("syntax error")), qPrintable(syntax.message));
    QVERIFY(!db.exec(QStringLiteral("CREATE TABLE u (k TEXT PRIMARY KEY)")).isError());
    QVERIFY(!db.prepare(QStringLiteral("INSERT INTO u VALUES (?)"), statement).isError());
    QVERIFY(!statement.exec({QStringLiteral("k")}).isError());
    const SqliteError constraint = statement.exec({QStringLiteral("k")});
    QCOMPARE(constraint.code, 19); // SQLITE_CONSTRAINT
    QVERIFY2(constraint.message.contains(QStringLiteral("UNIQUE")), qPrintable(constraint.message));

    QFile notADatabase(m_dir->filePath(QStringLiteral("text.sqlite")));
    QVERIFY(notADatabase.open(QIODevice::WriteOnly));
    notADatabase.write(QByteArray(4096, 'x'));
    notADatabase.close();
    SqliteDatabase other;
    QVERIFY(!other.open(notADatabase.fileName(), 1000).isError()); // SQLite reads the file lazily
    QCOMPARE(other.exec(QStringLiteral("SELECT * FROM sqlite_master")).code, 26); // SQLITE_NOTADB
}

// A statement read only up to its first row holds a read snapshot (in WAL mode) until reset: after the
// reset, a row another connection committed meanwhile is seen.
void TestSqlite::resetReleasesTheSnapshot()
{
    SqliteDatabase db;
    QVERIFY(!db.open(path(), 1000).isError());
    QVERIFY(
        !db.exec(QStringLiteral("PRAGMA journal_mode=WAL; CREATE TABLE t (v); INSERT INTO t VALUES (1), (2)"))
             .isError());
    SqliteStatement read;
    QVERIFY(!db.prepare(QStringLiteral("SELECT COUNT(*) FROM t UNION ALL SELECT 0"), read).isError());
    QVERIFY(!read.exec().isError());
    QVERIFY(read.next());
    QCOMPARE(read.value(0).toInt(), 2);
    SqliteDatabase writer;
    QVERIFY(!writer.open(path(), 1000).isError());
    QVERIFY(!writer.exec(QStringLiteral("INSERT INTO t VALUES (3)")).isError());
    SqliteStatement count;
    QVERIFY(!db.prepare(QStringLiteral("SELECT COUNT(*) FROM t"), count).isError());
    QVERIFY(!count.exec().isError() && count.next());
    QCOMPARE(count.value(0).toInt(), 2); // still in the first statement's snapshot
    count.reset();
    read.reset();
    QVERIFY(!count.exec().isError() && count.next());
    QCOMPARE(count.value(0).toInt(), 3);
}

void TestSqlite::otherThreadWarns()
{
    SqliteDatabase db;
    QVERIFY(!db.open(path(), 1000).isError());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("used on another thread")));
    bool prepared = false;
    std::unique_ptr<QThread> thread(QThread::create([&db, &prepared] {
        SqliteStatement statement;
        prepared = !db.prepare(QStringLiteral("SELECT 1"), statement).isError();
    }));
    thread->start();
    QVERIFY(thread->wait(10000));
    QVERIFY(prepared); // a warning, not a refusal: the caller's mistake is reported, not hidden
}

void TestSqlite::closeUnderAStatementWarnsAndStaysSafe()
{
    auto db = std::make_unique<SqliteDatabase>();
    QVERIFY(!db->open(path(), 1000).isError());
    SqliteStatement statement;
    QVERIFY(!db->prepare(QStringLiteral("SELECT 1"), statement).isError());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("closed while a statement")));
    db.reset();
    // SQLite keeps the connection until the statement goes (finalized here: the sanitizers see a misuse).
    statement = SqliteStatement();
    QVERIFY(!statement.isValid());
}

FEDSYNC_TEST_MAIN(TestSqlite)
#include "tst_sqlite.moc"
