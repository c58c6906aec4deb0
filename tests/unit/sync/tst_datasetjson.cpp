// DatasetJson: the export/import format shared by the editor and the CLI. A round trip keeps every
// value byte for byte; a bad file is refused as a whole with a message saying what is wrong.
#include "sync/datasetjson.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace fedsync;

namespace {

LocalRecord live(const QString &key, const QString &value)
{
    LocalRecord record;
    record.dataset = QStringLiteral("prefs");
    record.record.key = key;
    record.record.value = value;
    return record;
}

} // namespace

class TestDatasetJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void writeShape();
    void plainObject();
    void refused_data();
    void refused();
    void overLimitImportsNothing();
};

void TestDatasetJson::roundTrip()
{
    const QString multiLine = QStringLiteral("line 1\nline 2\t\"quoted\" \\ é€😀");
    LocalRecord removed = live(QStringLiteral("gone"), {});
    removed.record.value.reset();
    const QByteArray json =
        DatasetJson::write(QStringLiteral("prefs"), {live(QStringLiteral("theme"), QStringLiteral("dark")),
                                                     live(QStringLiteral("notes"), multiLine),
                                                     live(QStringLiteral("empty"), QString()), removed});
    const auto read = DatasetJson::read(json);
    QVERIFY2(read.ok(), qPrintable(read.error.text()));
    QCOMPARE(read.value.dataset, QStringLiteral("prefs"));
    // Live records only, by key, values unchanged (an empty value stays a value).
    const QList<std::pair<QString, QString>> expected{{QStringLiteral("empty"), QString()},
                                                      {QStringLiteral("notes"), multiLine},
                                                      {QStringLiteral("theme"), QStringLiteral("dark")}};
    QCOMPARE(read.value.records, expected);
}

void TestDatasetJson::writeShape()
{
    const QJsonObject root =
        QJsonDocument::fromJson(
            DatasetJson::write(QStringLiteral("d"), {live(QStringLiteral("k"), QStringLiteral("v"))}))
            .object();
    QCOMPARE(root.value(QStringLiteral("dataset")).toString(), QStringLiteral("d"));
    const QJsonArray records = root.value(QStringLiteral("records")).toArray();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.at(0).toObject(), (QJsonObject{{QStringLiteral("key"), QStringLiteral("k")},
                                                    {QStringLiteral("value"), QStringLiteral("v")}}));
}

void TestDatasetJson::plainObject()
{
    const auto read = DatasetJson::read(R"({"theme": "dark", "records": "a key like any other"})");
    QVERIFY2(read.ok(), qPrintable(read.error.text()));
    QVERIFY(read.value.dataset.isEmpty());
    QCOMPARE(read.value.records.size(), 2);
    QVERIFY(read.value.records.contains(std::pair(QStringLiteral("theme"), QStringLiteral("dark"))));
}

void TestDatasetJson::refused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("truncated") << QByteArray(R"({"dataset": "d", "records": [)") << "sync.json.malformed"
                               << "character";
    QTest::newRow("not json") << QByteArray("theme=dark") << "sync.json.malformed"
                              << "character";
    QTest::newRow("array") << QByteArray(R"([{"key": "k", "value": "v"}])") << "sync.json.shape"
                           << "array";
    QTest::newRow("dataset without records") << QByteArray(R"({"dataset": "piped"})") << "sync.json.shape"
                                             << "records";
    QTest::newRow("number value") << QByteArray(R"({"theme": 3})") << "sync.json.shape"
                                  << "theme";
    QTest::newRow("record without key") << QByteArray(R"({"records": [{"value": "v"}]})") << "sync.json.shape"
                                        << "Record 1";
    QTest::newRow("record not an object") << QByteArray(R"({"records": ["k"]})") << "sync.json.shape"
                                          << "Record 1";
    QTest::newRow("null value") << QByteArray(R"({"records": [{"key": "k", "value": null}]})")
                                << "sync.json.shape"
                                << "“k”";
    QTest::newRow("dataset not text") << QByteArray(R"({"dataset": 1, "records": []})") << "sync.json.shape"
                                      << "dataset";
    QTest::newRow("bad dataset name")
        << QByteArray(R"({"dataset": "a b", "records": []})") << "sync.limit.datasetName"
        << "a b";
    QTest::newRow("empty key") << QByteArray(R"({"": "v"})") << "sync.limit.key.empty"
                               << "must not be empty";
    QTest::newRow("long key") << (R"({")" + QByteArray(129, 'k') + R"(": "v"})") << "sync.limit.key"
                              << "129";
    QTest::newRow("duplicate key")
        << QByteArray(R"({"records": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]})")
        << "sync.json.duplicate"
        << "“k”";
}

void TestDatasetJson::refused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    const auto read = DatasetJson::read(json);
    QVERIFY(!read.ok());
    QCOMPARE(read.error.code, code);
    QVERIFY(!read.error.what.isEmpty());
    QVERIFY(!read.error.action.isEmpty());
    QVERIFY2(read.error.text().contains(mentions), qPrintable(read.error.text()));
    QVERIFY(read.value.records.isEmpty());
}

void TestDatasetJson::overLimitImportsNothing()
{
    // Over the limits in the file itself: refused by read().
    QJsonObject many;
    for (int i = 0; i <= LocalStore::MaxRecordsPerDataset; ++i)
        many.insert(QStringLiteral("k%1").arg(i), QStringLiteral("v"));
    auto read = DatasetJson::read(QJsonDocument(many).toJson());
    QCOMPARE(read.error.code, QStringLiteral("sync.limit.records"));
    QVERIFY(read.error.why.contains(QStringLiteral("1025")));
    const QString big(600 * 1024, QLatin1Char('x'));
    read = DatasetJson::read(
        QJsonDocument(QJsonObject{{QStringLiteral("a"), big}, {QStringLiteral("b"), big}}).toJson());
    QCOMPARE(read.error.code, QStringLiteral("sync.limit.size"));

    // Within limits alone, over them together with what the dataset already holds: the store refuses
    // the batch and keeps what it had.
    QTemporaryDir dir;
    LocalStore store(dir.filePath(QStringLiteral("s.sqlite")));
    QVERIFY(!store.open().isError());
    QVERIFY(!store.putValue(QStringLiteral("d"), QStringLiteral("existing"), big).isError());
    read = DatasetJson::read(
        QJsonDocument(QJsonObject{{QStringLiteral("small"), QStringLiteral("s")}, {QStringLiteral("b"), big}})
            .toJson());
    QVERIFY(read.ok());
    const UserError error = store.putValues(QStringLiteral("d"), read.value.records);
    QCOMPARE(error.code, QStringLiteral("sync.limit.size"));
    QCOMPARE(store.records(QStringLiteral("d")).value.size(), 1);
    QVERIFY(!store.record(QStringLiteral("d"), QStringLiteral("small")).value);
}

FEDSYNC_TEST_MAIN(TestDatasetJson)
#include "tst_datasetjson.moc"
