// DynamoDbClient's attribute readers: a number attribute ({"N": "..."}) read as DynamoDB writes numbers
// (the fast way) and as anything else QString::toDouble takes, with the same value either way; what is
// not a finite number is none.
#include "aws/dynamodbclient.h"
#include "testmain.h"

#include <QJsonObject>
#include <QRandomGenerator>

using namespace fedsync;
using namespace fedsync::aws;

namespace {

QJsonObject numberItem(const QString &text)
{
    return QJsonObject{{QStringLiteral("n"), QJsonObject{{QStringLiteral("N"), text}}}};
}

} // namespace

class TestDynamoDbClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void numbersAsDynamoDbWritesThem_data();
    void numbersAsDynamoDbWritesThem();
    void everyNumberReadsAsQtReadsIt();
};

void TestDynamoDbClient::numbersAsDynamoDbWritesThem_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("isNumber");
    QTest::addColumn<double>("value");
    QTest::newRow("whole") << QStringLiteral("42") << true << 42.0;
    QTest::newRow("a time") << QStringLiteral("1733400000.123") << true << 1733400000.123;
    QTest::newRow("negative with exponent") << QStringLiteral("-1.5E3") << true << -1500.0;
    QTest::newRow("large count") << QStringLiteral("9000000000000000") << true << 9e15;
    QTest::newRow("spaces around") << QStringLiteral(" 7 ") << true << 7.0;
    QTest::newRow("a plus") << QStringLiteral("+3") << true << 3.0;
    QTest::newRow("text") << QStringLiteral("seven") << false << 0.0;
    QTest::newRow("empty") << QString() << false << 0.0;
    QTest::newRow("trailing text") << QStringLiteral("12abc") << false << 0.0;
    QTest::newRow("out of range") << QStringLiteral("1e400") << false << 0.0;
    QTest::newRow("not a number") << QStringLiteral("nan") << false << 0.0;
    QTest::newRow("infinity") << QStringLiteral("inf") << false << 0.0;
    QTest::newRow("non-ASCII digits") << QStringLiteral("\u0661\u0662") << false << 0.0;
    QTest::newRow("very long") << QString(QStringLiteral("1") + QString(80, u'0')) << true << 1e80;
}

void TestDynamoDbClient::numbersAsDynamoDbWritesThem()
{
    QFETCH(QString, text);
    QFETCH(bool, isNumber);
    QFETCH(double, value);
    const std::optional<double> read = DynamoDbClient::numberOf(numberItem(text), QStringLiteral("n"));
    QCOMPARE(read.has_value(), isNumber);
    if (isNumber)
        QCOMPARE(*read, value);
    QVERIFY(!DynamoDbClient::numberOf(
        QJsonObject{{QStringLiteral("n"), QJsonObject{{QStringLiteral("S"), text}}}}, QStringLiteral("n")));
}

// Random numbers in the forms DynamoDB returns: the same double as QString::toDouble, bit for bit.
void TestDynamoDbClient::everyNumberReadsAsQtReadsIt()
{
    QRandomGenerator random(512);
    for (int i = 0; i < 5000; ++i) {
        const double source = (random.generateDouble() - 0.5) * std::pow(10.0, random.bounded(-12, 18));
        const QString text = i % 3 == 0   ? QString::number(qint64(source))
                             : i % 3 == 1 ? QString::number(source, 'g', 17)
                                          : QString::number(source, 'f', random.bounded(0, 6));
        bool ok = false;
        const double qt = text.toDouble(&ok);
        QVERIFY(ok);
        const std::optional<double> read = DynamoDbClient::numberOf(numberItem(text), QStringLiteral("n"));
        QVERIFY2(read && *read == qt, qPrintable(text));
    }
}

FEDSYNC_TEST_MAIN(TestDynamoDbClient)
#include "tst_dynamodbclient.moc"
