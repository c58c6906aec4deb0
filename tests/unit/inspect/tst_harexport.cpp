// HarExport: the HAR 1.2 shape devtools expect, and no secret in it even when one slipped into a trace
// event (a JWT, AWS keys, a session token, an authorization code, an Authorization header).
#include "inspect/harexport.h"
#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace fedsync;

class TestHarExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hasTheHar12Structure();
    void leavesNoSecret();
    void writesAnOwnerOnlyFile();

private:
    static QList<TraceEvent> events();
};

namespace {
const QString jwt =
    QStringLiteral("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhdXRoMHxhYmMiLCJhdWQiOiJjIn0."
                   "c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl");
const QString accessKey = QStringLiteral("ASIAQWERTYUIOPASDFGH");
const QString sessionToken =
    QStringLiteral("FQoGZXIvYXdzEJr//////////wEaDHVzLWVhc3QtMSJHMEUCIQD6secretsecretsecret"
                   "secretsecretsecretsecretsecretsecret=");
const QString code = QStringLiteral("Xy7_abcdEFGH1234ijkl");
} // namespace

QList<TraceEvent> TestHarExport::events()
{
    TraceEvent token;
    token.sequence = 1;
    token.startedAt = QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
    token.service = QStringLiteral("auth0");
    token.operation = QStringLiteral("token");
    token.method = QStringLiteral("POST");
    token.url = QUrl(QStringLiteral("https://tenant.auth0.com/oauth/token"));
    token.httpStatus = 200;
    token.ok = true;
    token.durationMs = 120;
    token.summary = QStringLiteral("grant_type=authorization_code code=%1 id_token %2").arg(code, jwt);
    token.requestHeaders = TraceEvent::redactedHeaders({{"Content-Type", "application/x-www-form-urlencoded"},
                                                        {"Authorization", "Bearer " + jwt.toLatin1()}});
    token.responseHeaders =
        TraceEvent::redactedHeaders({{"Content-Type", "application/json"}, {"Set-Cookie", "s=1"}});
    token.responseBytes = 1800;

    TraceEvent creds;
    creds.sequence = 2;
    creds.startedAt = token.startedAt.addMSecs(300);
    creds.service = QStringLiteral("cognito-identity");
    creds.operation = QStringLiteral("GetCredentialsForIdentity");
    creds.method = QStringLiteral("POST");
    creds.url = QUrl(QStringLiteral("https://cognito-identity.us-east-1.amazonaws.com/"));
    creds.httpStatus = 400;
    creds.attempts = 2;
    creds.error = QStringLiteral("NotAuthorizedException");
    creds.summary = QStringLiteral("got %1 \"SessionToken\":\"%2\"").arg(accessKey, sessionToken);
    creds.requestHeaders = TraceEvent::redactedHeaders(
        {{"X-Amz-Security-Token", sessionToken.toLatin1()}, {"X-Amz-Target", "x.GetId"}});
    return {token, creds};
}

void TestHarExport::hasTheHar12Structure()
{
    const QJsonObject har = HarExport::build(events());
    const QJsonObject log = har.value(QStringLiteral("log")).toObject();
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    QVERIFY(log.value(QStringLiteral("creator")).toObject().contains(QStringLiteral("name")));
    QVERIFY(log.value(QStringLiteral("creator")).toObject().contains(QStringLiteral("version")));
    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 2);
    for (const QJsonValue &v : entries) {
        const QJsonObject entry = v.toObject();
        for (const char *key : {"startedDateTime", "time", "request", "response", "cache", "timings"})
            QVERIFY2(entry.contains(QLatin1String(key)), key);
        QVERIFY(QDateTime::fromString(entry.value(QStringLiteral("startedDateTime")).toString(),
                                      Qt::ISODateWithMs)
                    .isValid());
        const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
        for (const char *key :
             {"method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize"})
            QVERIFY2(request.contains(QLatin1String(key)), key);
        const QJsonObject response = entry.value(QStringLiteral("response")).toObject();
        for (const char *key : {"status", "statusText", "httpVersion", "cookies", "headers", "content",
                                "redirectURL", "headersSize", "bodySize"})
            QVERIFY2(response.contains(QLatin1String(key)), key);
        const QJsonObject content = response.value(QStringLiteral("content")).toObject();
        QVERIFY(content.value(QStringLiteral("size")).isDouble());
        QVERIFY(content.value(QStringLiteral("mimeType")).isString());
        const QJsonObject timings = entry.value(QStringLiteral("timings")).toObject();
        for (const char *key : {"send", "wait", "receive"})
            QVERIFY2(timings.value(QLatin1String(key)).isDouble(), key);
    }
    const QJsonObject first = entries.first().toObject();
    QCOMPARE(first.value(QStringLiteral("request")).toObject().value(QStringLiteral("url")).toString(),
             QStringLiteral("https://tenant.auth0.com/oauth/token"));
    QCOMPARE(first.value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(first.value(QStringLiteral("time")).toDouble(), 120.0);
    QCOMPARE(entries.at(1)
                 .toObject()
                 .value(QStringLiteral("_fedsync"))
                 .toObject()
                 .value(QStringLiteral("attempts"))
                 .toInt(),
             2);
}

void TestHarExport::leavesNoSecret()
{
    const QByteArray text = QJsonDocument(HarExport::build(events())).toJson();
    for (const QString &secret : {jwt, jwt.section(u'.', 2), accessKey, sessionToken, code})
        QVERIFY2(!text.contains(secret.toLatin1()),
                 qPrintable(QStringLiteral("found %1…").arg(secret.left(8))));
    QVERIFY(!text.contains("s=1")); // the cookie
    QVERIFY(text.contains("[redacted]"));
    QVERIFY(text.contains("GetCredentialsForIdentity")); // still useful
}

void TestHarExport::writesAnOwnerOnlyFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("trace.har"));
    QVERIFY(!HarExport::write(events(), path).isError());
    QFile file(path);
    QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll())
                 .object()
                 .value(QStringLiteral("log"))
                 .toObject()
                 .value(QStringLiteral("version")),
             QJsonValue(QStringLiteral("1.2")));
    QVERIFY(HarExport::write(events(), dir.filePath(QStringLiteral("missing/dir/trace.har"))).isError());
}

FEDSYNC_TEST_MAIN(TestHarExport)
#include "tst_harexport.moc"
