// SigV4Signer against AWS's official SigV4 test suite (all cases, header signing and presigning), plus
// the path encoding Cognito Sync needs.
#include "aws/sigv4signer.h"
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace fedsync::aws;

namespace {

QString suiteDir()
{
    const QString source = qEnvironmentVariable("FEDSYNC_SOURCE_DIR");
    if (!source.isEmpty()) {
        const QString dir = source + QStringLiteral("/../shared/testdata/aws-sigv4-test-suite");
        if (QDir(dir).exists())
            return QDir(dir).canonicalPath();
    }
    return QStringLiteral("/work/shared/testdata/aws-sigv4-test-suite");
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Parses the suite's request.txt: a request line whose target may contain spaces, headers (a line that
// starts with white space continues the previous value; names may repeat), a blank line, the body.
bool parseRequest(const QByteArray &text, SigV4Request &request)
{
    qsizetype pos = text.indexOf('\n');
    const QByteArray requestLine = pos < 0 ? text : text.left(pos);
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace)
        return false;
    request.method = requestLine.left(firstSpace);
    const QByteArray target = requestLine.mid(firstSpace + 1, lastSpace - firstSpace - 1);
    const qsizetype question = target.indexOf('?');
    request.path = question < 0 ? target : target.left(question);
    request.query = question < 0 ? QByteArray() : target.mid(question + 1);
    while (pos >= 0 && pos < text.size()) {
        const qsizetype start = pos + 1;
        pos = text.indexOf('\n', start);
        const QByteArray line = text.mid(start, pos < 0 ? -1 : pos - start);
        if (line.isEmpty()) {
            if (pos >= 0)
                request.body = text.mid(pos + 1);
            break;
        }
        if ((line.startsWith(' ') || line.startsWith('\t')) && !request.headers.isEmpty()) {
            request.headers.last().second += ' ' + line.trimmed();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        request.headers.append({line.left(colon), line.mid(colon + 1)});
    }
    return true;
}

} // namespace

class TestSigV4 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void officialSuite_data();
    void officialSuite();
    void cognitoSyncPathIsEncodedTwice();
    void s3StylePathIsEncodedOnce();
    void headersToAddCarryTheToken();
    void derivedKeysAreKeptPerSecretAndScope();
};

void TestSigV4::officialSuite_data()
{
    QTest::addColumn<QString>("dir");
    QTest::addColumn<bool>("presigned");
    const QDir suite(suiteDir());
    if (!suite.exists())
        QFAIL(qPrintable(QStringLiteral("SigV4 test suite missing at %1").arg(suite.path())));
    const QStringList cases = suite.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QCOMPARE(cases.size(), 38);
    for (const QString &name : cases) {
        QTest::newRow(qPrintable(name + QStringLiteral(" header"))) << suite.filePath(name) << false;
        if (QFile::exists(suite.filePath(name + QStringLiteral("/query-signature.txt"))))
            QTest::newRow(qPrintable(name + QStringLiteral(" query"))) << suite.filePath(name) << true;
    }
}

void TestSigV4::officialSuite()
{
    QFETCH(QString, dir);
    QFETCH(bool, presigned);
    const QJsonObject context =
        QJsonDocument::fromJson(readFile(dir + QStringLiteral("/context.json"))).object();
    QVERIFY(!context.isEmpty());
    const QJsonObject credentials = context.value(QStringLiteral("credentials")).toObject();
    SigV4Options options;
    options.region = context.value(QStringLiteral("region")).toString();
    options.service = context.value(QStringLiteral("service")).toString();
    options.normalizePath = context.value(QStringLiteral("normalize")).toBool(true);
    options.signBody = context.value(QStringLiteral("sign_body")).toBool(false);
    options.omitSessionTokenFromSignature = context.value(QStringLiteral("omit_session_token")).toBool(false);
    const SigV4Signer signer({credentials.value(QStringLiteral("access_key_id")).toString().toUtf8(),
                              credentials.value(QStringLiteral("secret_access_key")).toString().toUtf8(),
                              credentials.value(QStringLiteral("token")).toString().toUtf8()},
                             options);
    const QDateTime now =
        QDateTime::fromString(context.value(QStringLiteral("timestamp")).toString(), Qt::ISODate);
    QVERIFY(now.isValid());

    SigV4Request request;
    QVERIFY(parseRequest(readFile(dir + QStringLiteral("/request.txt")), request));
    const SigV4Result result =
        presigned
            ? signer.presign(request, now, context.value(QStringLiteral("expiration_in_seconds")).toInt(3600))
            : signer.signHeaders(request, now);
    const QString prefix = dir + (presigned ? QStringLiteral("/query-") : QStringLiteral("/header-"));
    QCOMPARE(result.canonicalRequest, readFile(prefix + QStringLiteral("canonical-request.txt")));
    QCOMPARE(result.stringToSign, readFile(prefix + QStringLiteral("string-to-sign.txt")));
    QCOMPARE(result.signature, readFile(prefix + QStringLiteral("signature.txt")).trimmed());
    if (presigned) {
        QVERIFY(result.presignedQuery.endsWith(QByteArray("X-Amz-Signature=" + result.signature)));
    } else {
        QCOMPARE(result.headersToAdd.last().first, QByteArrayLiteral("Authorization"));
        QVERIFY(result.headersToAdd.last().second.endsWith(QByteArray("Signature=" + result.signature)));
        QVERIFY(readFile(prefix + QStringLiteral("signed-request.txt"))
                    .contains(result.headersToAdd.last().second));
    }
}

void TestSigV4::cognitoSyncPathIsEncodedTwice()
{
    SigV4Options options;
    options.region = QStringLiteral("us-east-1");
    options.service = QStringLiteral("cognito-sync");
    const SigV4Signer signer({"AKID", "SECRET", {}}, options);
    QCOMPARE(signer.canonicalPath("/identitypools/us-east-1%3Aabc/identities/us-east-1%3Adef/datasets"),
             QByteArrayLiteral("/identitypools/us-east-1%253Aabc/identities/us-east-1%253Adef/datasets"));
}

void TestSigV4::s3StylePathIsEncodedOnce()
{
    SigV4Options options;
    options.normalizePath = false;
    options.doubleEncodePath = false;
    const SigV4Signer signer({"AKID", "SECRET", {}}, options);
    QCOMPARE(signer.canonicalPath("/bucket//a%20b/./c"), QByteArrayLiteral("/bucket//a%20b/./c"));
    QCOMPARE(signer.canonicalPath("/a b"), QByteArrayLiteral("/a%20b"));
}

void TestSigV4::headersToAddCarryTheToken()
{
    SigV4Options options;
    options.region = QStringLiteral("eu-west-1");
    options.service = QStringLiteral("cognito-identity");
    options.signBody = true;
    const SigV4Signer signer({"AKID", "SECRET", "TOKEN"}, options);
    SigV4Request request{"POST", "/", {}, {{"Host", "cognito-identity.eu-west-1.amazonaws.com"}}, "{}"};
    const SigV4Result result =
        signer.signHeaders(request, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC));
    QStringList names;
    for (const auto &[name, value] : result.headersToAdd)
        names << QString::fromLatin1(name);
    QCOMPARE(names, (QStringList{QStringLiteral("X-Amz-Date"), QStringLiteral("x-amz-content-sha256"),
                                 QStringLiteral("X-Amz-Security-Token"), QStringLiteral("Authorization")}));
    QCOMPARE(result.headersToAdd.first().second, QByteArrayLiteral("20240102T030405Z"));
    QVERIFY(result.headersToAdd.last().second.contains(
        "Credential=AKID/20240102/eu-west-1/cognito-identity/aws4_request, "
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="));
}

// The signer keeps the keys it derived (per secret, day, region, service), as the AWS SDKs do. Signing the
// suite's get-vanilla request after signing with another secret, another day and another region must
// still give AWS's published signature, and the other secret must not get it.
void TestSigV4::derivedKeysAreKeptPerSecretAndScope()
{
    const QByteArray published = QByteArrayLiteral("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    SigV4Options options;
    options.region = QStringLiteral("us-east-1");
    options.service = QStringLiteral("service");
    const SigV4Request request{"GET", "/", {}, {{"Host", "example.amazonaws.com"}}, {}};
    const QDateTime when(QDate(2015, 8, 30), QTime(12, 36), Qt::UTC);
    const SigV4Signer right({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}}, options);
    const SigV4Signer wrong({"AKIDEXAMPLE", "another-secret-of-the-same-key-id-00000", {}}, options);
    SigV4Options elsewhere = options;
    elsewhere.region = QStringLiteral("eu-west-1");
    const SigV4Signer otherRegion({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}}, elsewhere);

    const QByteArray byWrong = wrong.signHeaders(request, when).signature;
    QVERIFY(byWrong != published);
    QVERIFY(otherRegion.signHeaders(request, when).signature != published);
    QVERIFY(right.signHeaders(request, when.addDays(1)).signature != published);
    QCOMPARE(right.signHeaders(request, when).signature, published);
    QCOMPARE(right.signHeaders(request, when).signature, published); // from the kept key
    QCOMPARE(wrong.signHeaders(request, when).signature, byWrong);
}

FEDSYNC_TEST_MAIN(TestSigV4)
#include "tst_sigv4.moc"
