// The support console on a DynamoDB-store profile, under Xvfb against the real sandbox: find by email and
// by Auth0 user id is a query of the table's card index (no crawl of the pool: no ListIdentities while
// finding), for a real signed-in user whose sync wrote his card to DynamoDB and for seeded ones; nobody
// found says where the console looked; a staff key denied dynamodb:Query is told what to ask for. A found
// user's datasets, usage and records come from the DynamoDB table (never Cognito Sync), and "Edit as
// support" writes there, audited, for the user's next sync to bring.
#include "clilogin.h"
#include "guitestmain.h"
#include "messagebanner.h"
#include "recordtablemodel.h"
#include "sandbox.h"
#include "session/profilecontext.h"
#include "support/auditlog.h"
#include "support/identitylistmodel.h"
#include "support/supportconsole.h"
#include "supportconsolechecks.h"
#include "supportdesk.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestSupportConsoleDynamoDb : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void findsByEmailAndSubThroughTheIndex();
    void opensAFoundUsersDatasetsAndRecordsFromTheTable();
    void nobodyFoundSaysWhereItLooked();
    void staffKeyWithoutQueryIsToldWhatToAskFor();

private:
    void find(SupportConsole *console, int kind, const QString &text);

    Sandbox m_sandbox;
    SupportDesk m_desk;
    QString m_bobIdentity;
    QJsonObject m_seeded;
};

void TestSupportConsoleDynamoDb::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    // His sync sends his card and notes.
    QString problem;
    m_bobIdentity = cliSignInAndSync(m_sandbox, 1, m_sandbox.dynamoDbProfileFile(),
                                     QStringLiteral("hello bob"), &problem);
    QVERIFY2(!m_bobIdentity.isEmpty(), qPrintable(problem));
    m_seeded = m_sandbox.adminPost(QStringLiteral("admin/seed"),
                                   {{QStringLiteral("identities"), 150},
                                    {QStringLiteral("cards"), true},
                                    {QStringLiteral("store"), QStringLiteral("dynamodb")}});
    QCOMPARE(m_seeded.value(QStringLiteral("created")).toInt(), 150);

    const QString opened = m_desk.open(m_sandbox, m_sandbox.dynamoDbProfileFile());
    QVERIFY2(opened.isEmpty(), qPrintable(opened));
}

void TestSupportConsoleDynamoDb::find(SupportConsole *console, int kind, const QString &text)
{
    console->searchKind()->setCurrentIndex(kind);
    console->searchField()->setFocus();
    console->searchField()->setText(text);
    QTest::keyClick(console->searchField(), Qt::Key_Return); // keyboard only
}

void TestSupportConsoleDynamoDb::findsByEmailAndSubThroughTheIndex()
{
    QPointer<SupportConsole> console = SupportConsole::open(m_desk.context());
    QVERIFY(console);
    console->resize(800, 600);
    QVERIFY(QTest::qWaitForWindowExposed(console));
    // The browser shows its first page; finding afterwards lists no more of the pool.
    QTRY_COMPARE_WITH_TIMEOUT(console->identityModel()->rowCount(), 60, 10000);
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);

    find(console, 0, m_sandbox.user(1, "email").toUpper());
    QTRY_COMPARE_WITH_TIMEOUT(console->currentIdentity(), m_bobIdentity, 20000);
    QCOMPARE(console->identityModel()->rowCount(), 1);
    QCOMPARE(console->identityModel()->index(0, IdentityListModel::NameColumn).data().toString(),
             m_sandbox.user(1, "name"));
    QTRY_VERIFY(console->detailsLabel()->text().contains(m_sandbox.user(1, "sub")));

    const QJsonObject seeded = m_seeded.value(QStringLiteral("identities")).toArray().at(120).toObject();
    find(console, 1, seeded.value(QStringLiteral("sub")).toString());
    QTRY_COMPARE_WITH_TIMEOUT(console->currentIdentity(),
                              seeded.value(QStringLiteral("identity_id")).toString(), 20000);
    QCOMPARE(console->identityModel()->index(0, IdentityListModel::NameColumn).data().toString(),
             seeded.value(QStringLiteral("name")).toString());

    const QStringList operations = m_sandbox.operationsSince(since);
    QVERIFY2(!operations.contains(QStringLiteral("ListIdentities")), qPrintable(operations.join(u' ')));
    QVERIFY2(operations.count(QStringLiteral("Query")) >= 2, qPrintable(operations.join(u' ')));
    console->close();
}

void TestSupportConsoleDynamoDb::opensAFoundUsersDatasetsAndRecordsFromTheTable()
{
    QPointer<SupportConsole> console = SupportConsole::open(m_desk.context());
    QVERIFY(console);
    console->resize(800, 600);
    QVERIFY(QTest::qWaitForWindowExposed(console));
    QSignalSpy loaded(console.data(), &SupportConsole::datasetsLoaded);
    qint64 since = 0;
    m_sandbox.operationsSince(0, &since);

    find(console, 0, m_sandbox.user(1, "email"));
    QTRY_COMPARE_WITH_TIMEOUT(console->currentIdentity(), m_bobIdentity, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 20000);
    // Usage computed from the table: no DescribeIdentityUsage on this store.
    const QString table = m_sandbox.ready().value(QStringLiteral("dynamodb_table")).toString();
    QTRY_VERIFY2(console->detailsLabel()->text().contains(
                     QStringLiteral("Usage (in the DynamoDB table %1): 2 datasets, ").arg(table)),
                 qPrintable(console->detailsLabel()->text()));

    // His datasets as the table has them: records, size, last change.
    QTableWidget *datasets = console->datasetTable();
    QCOMPARE(datasets->rowCount(), 2);
    const int notesRow = datasetRow(*console, QStringLiteral("notes"));
    QVERIFY(notesRow >= 0);
    QCOMPARE(datasets->item(notesRow, 1)->text(), QStringLiteral("1"));
    QVERIFY(!datasets->item(notesRow, 3)->text().isEmpty());
    QCOMPARE(datasets->item(notesRow, 4)->text(), m_bobIdentity);
    // Keyboard only: to the dataset table, onto the notes row.
    datasets->setFocus();
    datasets->setCurrentCell(notesRow == 0 ? 1 : 0, 0);
    QTest::keyClick(datasets, notesRow == 0 ? Qt::Key_Up : Qt::Key_Down);
    QCOMPARE(datasets->currentRow(), notesRow);
    checkGreetingShownReadOnly(*console, QStringLiteral("hello bob"));
    if (QTest::currentTestFailed())
        return;

    // Edit as support writes to his partition of the table, audited.
    EditorPrompts prompts = EditorPrompts::dialogs();
    prompts.confirm = [](QWidget *, const QString &, const QString &, std::function<void(bool)> done) {
        done(true);
    };
    console->setPrompts(prompts);
    console->editButton()->click();
    QVERIFY(console->isEditing());
    writeGreetingAsSupport(*console, m_bobIdentity);
    if (QTest::currentTestFailed())
        return;

    // All of it from and to the table; Cognito Sync was never asked.
    const QStringList operations = m_sandbox.operationsSince(since);
    for (const char *cognitoSync :
         {"ListDatasets", "ListRecords", "UpdateRecords", "DescribeDataset", "DescribeIdentityUsage"})
        QVERIFY2(!operations.contains(QLatin1String(cognitoSync)), qPrintable(operations.join(u' ')));
    QVERIFY2(operations.contains(QStringLiteral("TransactWriteItems")), qPrintable(operations.join(u' ')));
    console->close();

    // Bob's own next sync brings the support write.
    const QStringList profile{QStringLiteral("--profile-file"), m_sandbox.dynamoDbProfileFile()};
    const CliRun userSync = runCli(profile + QStringList{QStringLiteral("sync")});
    QVERIFY2(userSync.exitCode == 0, qPrintable(userSync.err.right(1500)));
    QCOMPARE(runCli(profile +
                    QStringList{QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("greeting")})
                 .out.trimmed(),
             QStringLiteral("fixed by support"));
}

void TestSupportConsoleDynamoDb::nobodyFoundSaysWhereItLooked()
{
    QPointer<SupportConsole> console = SupportConsole::open(m_desk.context());
    QVERIFY(console);
    find(console, 0, QStringLiteral("nobody@example.com"));
    MessageBanner *banner = console->findChild<MessageBanner *>();
    QVERIFY(banner);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 20000);
    QVERIFY2(banner->text().contains(QLatin1String("Nobody found for nobody@example.com")),
             qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(QLatin1String("DynamoDB index card-lookup")),
             qPrintable(banner->text()));
    QCOMPARE(console->identityModel()->rowCount(), 0);
    console->close();
}

void TestSupportConsoleDynamoDb::staffKeyWithoutQueryIsToldWhatToAskFor()
{
    const QJsonObject key =
        m_sandbox.adminPost(QStringLiteral("admin/staff-keys"),
                            {{QStringLiteral("name"), QStringLiteral("support-noddb")},
                             {QStringLiteral("deny"), QJsonArray{QStringLiteral("dynamodb:Query")}}});
    m_desk.useStaffKeys(key.value(QStringLiteral("access_key_id")).toString(),
                        key.value(QStringLiteral("secret_access_key")).toString());
    QPointer<SupportConsole> console = SupportConsole::open(m_desk.context());
    QVERIFY(console);
    find(console, 0, m_sandbox.user(1, "email"));
    MessageBanner *banner = console->findChild<MessageBanner *>();
    QVERIFY(banner);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 20000);
    QVERIFY2(banner->text().contains(QLatin1String("dynamodb:Query")), qPrintable(banner->text()));
    QVERIFY(console->currentIdentity() != m_bobIdentity);
    console->close();
    m_desk.useDeveloperKeys(m_sandbox);
}

FEDSYNC_GUI_TEST_MAIN(TestSupportConsoleDynamoDb)
#include "tst_supportconsole_dynamodb.moc"
