// SyncLimits: Cognito Sync's limits and the one wording every part of Fedsync uses for them.
#include "sync/synclimits.h"
#include "testmain.h"

#include <QTest>

using namespace fedsync;

class TestSyncLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theServiceNumbers();
    void datasetNames_data();
    void datasetNames();
    void keysCountCharacters();
    void serviceKeyLimitIsWider();
    void recordBytesAreUtf8();
    void rulesSayTheNumbers();
    void exceededIsOneMessage();
};

void TestSyncLimits::theServiceNumbers()
{
    QCOMPARE(SyncLimits::MaxDatasets, 20);
    QCOMPARE(SyncLimits::MaxRecordsPerDataset, 1024);
    QCOMPARE(SyncLimits::MaxDatasetBytes, qint64(1024 * 1024));
    QCOMPARE(SyncLimits::MaxDatasetNameLength, 128);
    QCOMPARE(SyncLimits::MaxKeyLength, 128);
    QCOMPARE(SyncLimits::MaxServiceKeyLength, 1024);
}

void TestSyncLimits::datasetNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QStringLiteral("notes") << true;
    QTest::newRow("all signs") << QStringLiteral("a_b.c:d-e9") << true;
    QTest::newRow("longest") << QString(128, QLatin1Char('n')) << true;
    QTest::newRow("too long") << QString(129, QLatin1Char('n')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << QStringLiteral("a b") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("trailing newline") << QStringLiteral("abc\n") << false;
    QTest::newRow("accent") << QStringLiteral("café") << false;
}

void TestSyncLimits::datasetNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    const UserError error = SyncLimits::checkDatasetName(name);
    QCOMPARE(!error.isError(), valid);
    if (!valid) {
        QCOMPARE(error.code, QStringLiteral("sync.limit.datasetName"));
        QVERIFY(error.what.contains(QStringLiteral("cannot be a dataset name")));
        QVERIFY(error.why.contains(QStringLiteral("1 to 128")));
        QVERIFY(!error.action.isEmpty());
    }
}

void TestSyncLimits::keysCountCharacters()
{
    QCOMPARE(SyncLimits::checkKey(QString()).code, QStringLiteral("sync.limit.key.empty"));
    QVERIFY(!SyncLimits::checkKey(QString(128, QLatin1Char('k'))).isError());
    const UserError tooLong = SyncLimits::checkKey(QString(129, QLatin1Char('k')));
    QCOMPARE(tooLong.code, QStringLiteral("sync.limit.key"));
    QVERIFY(tooLong.why.contains(QStringLiteral("129")));
    // An emoji is one character to the service, two UTF-16 units to Qt.
    QString emoji;
    for (int i = 0; i < 128; ++i)
        emoji += QString::fromUtf8("\xF0\x9F\x98\x80");
    QCOMPARE(SyncLimits::characterCount(emoji), qsizetype(128));
    QVERIFY(!SyncLimits::checkKey(emoji).isError());
}

void TestSyncLimits::serviceKeyLimitIsWider()
{
    const QString key(1024, QLatin1Char('k'));
    QVERIFY(SyncLimits::checkKey(key).isError());
    QVERIFY(!SyncLimits::checkKey(key, SyncLimits::MaxServiceKeyLength).isError());
    QVERIFY(SyncLimits::checkKey(key + QLatin1Char('k'), SyncLimits::MaxServiceKeyLength).isError());
}

void TestSyncLimits::recordBytesAreUtf8()
{
    QCOMPARE(SyncLimits::recordBytes(QStringLiteral("k"), QStringLiteral("é")), qint64(3));
    QCOMPARE(SyncLimits::recordBytes(QStringLiteral("key"), std::nullopt), qint64(0));
}

void TestSyncLimits::rulesSayTheNumbers()
{
    QVERIFY(SyncLimits::sizeRule().contains(QStringLiteral("1 MB")));
    QVERIFY(SyncLimits::recordsRule().contains(QStringLiteral("1024 records")));
    QVERIFY(SyncLimits::datasetsRule().contains(QStringLiteral("20 datasets")));
}

void TestSyncLimits::exceededIsOneMessage()
{
    const RemoteError error = SyncLimits::exceeded(QStringLiteral("notes"), QStringLiteral("the service's words"),
                                                   QStringLiteral("details"));
    QCOMPARE(error.kind, RemoteErrorKind::LimitExceeded);
    QVERIFY(!error.isTransient());
    QCOMPARE(error.error.code, QStringLiteral("sync.remote.LimitExceededException"));
    QCOMPARE(error.error.what, QStringLiteral("the dataset “notes” is over the sync service's limits"));
    QCOMPARE(error.error.why, QStringLiteral("the service's words"));
    QVERIFY(error.error.action.contains(QStringLiteral("20 datasets of 1 MB")));
    QCOMPARE(error.error.details, QStringLiteral("details"));
    QVERIFY(SyncLimits::exceeded({}, {}).error.what.startsWith(QStringLiteral("your datasets")));
}

FEDSYNC_TEST_MAIN(TestSyncLimits)
#include "tst_synclimits.moc"
