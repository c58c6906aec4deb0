// CognitoCredentialsProvider over a fake Cognito Identity / STS: enhanced and basic flows, identity-id
// caching, one refresh for many callers, early refresh, a rejected cached id dropped and fetched once,
// diagnosed errors.
#include "aws/awsclient.h"
#include "aws/cognitocredentialsprovider.h"
#include "aws/cognitoidentityclient.h"
#include "aws/memoryidentityidcache.h"
#include "aws/settingsidentityidcache.h"
#include "aws/stsclient.h"
#include "fakenetwork.h"
#include "net/networkcontext.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QJsonDocument>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>

using namespace fedsync;
using namespace fedsync::aws;
using namespace fedsync::test;

namespace {

const QString pool = QStringLiteral("eu-west-1:11111111-2222-3333-4444-555555555555");
const QString providerName = QStringLiteral("tenant.auth0.com/");

class FakeTokens final : public IdTokenSource
{
public:
    void requestIdToken(Callback callback) override
    {
        ++requests;
        // Answer on the next event-loop turn, as the real session does.
        QTimer::singleShot(0, [this, callback] { callback(token, error); });
    }
    FederatedIdToken token{"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2ln",
                           QStringLiteral("auth0|123"), QStringLiteral("https://tenant.auth0.com/"),
                           QStringLiteral("clientid"), QStringLiteral("RS256")};
    UserError error;
    int requests = 0;
};

QByteArray credentialsReply(const QString &identityId, qint64 expiresInSeconds,
                            const QString &key = QStringLiteral("ASIAONE"))
{
    const qint64 expiration = QDateTime::currentSecsSinceEpoch() + expiresInSeconds;
    return QJsonDocument(QJsonObject{{QStringLiteral("IdentityId"), identityId},
                                     {QStringLiteral("Credentials"),
                                      QJsonObject{{QStringLiteral("AccessKeyId"), key},
                                                  {QStringLiteral("SecretKey"), QStringLiteral("secret")},
                                                  {QStringLiteral("SessionToken"), QStringLiteral("session")},
                                                  {QStringLiteral("Expiration"), double(expiration)}}}})
        .toJson(QJsonDocument::Compact);
}

FakeResponse error(int status, const char *type, const char *message)
{
    return FakeResponse::json(status,
                              QByteArray(R"({"__type":")") + type + R"(","message":")" + message + R"("})");
}

// A fake Cognito Identity + STS: answers by operation, counting the calls.
struct Fixture
{
    explicit Fixture(CognitoCredentialsConfig::Flow flow = CognitoCredentialsConfig::Flow::Enhanced)
        : context(&nam, &trace)
        , aws(context, QStringLiteral("eu-west-1"))
        , identity(&aws)
        , sts(&aws)
    {
        aws.setRetryDelay([](int) { return 0; });
        config.region = QStringLiteral("eu-west-1");
        config.identityPoolId = pool;
        config.providerName = providerName;
        config.flow = flow;
        config.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/FedsyncAuth");
        nam.setHandler([this](const RecordedRequest &request) {
            QString op =
                QString::fromLatin1(request.request.rawHeader("X-Amz-Target")).section(QLatin1Char('.'), 1);
            if (op.isEmpty())
                op = QUrlQuery(QString::fromLatin1(request.body)).queryItemValue(QStringLiteral("Action"));
            ops << op;
            bodies << request.body;
            if (handlers.contains(op))
                return handlers[op](QJsonDocument::fromJson(request.body).object());
            return FakeResponse::json(500, R"({"__type":"InternalErrorException"})");
        });
        handlers[QStringLiteral("GetId")] = [this](const QJsonObject &) {
            return FakeResponse::json(200,
                                      QJsonDocument(QJsonObject{{QStringLiteral("IdentityId"), nextIdentity}})
                                          .toJson(QJsonDocument::Compact));
        };
        handlers[QStringLiteral("GetCredentialsForIdentity")] = [this](const QJsonObject &input) {
            return FakeResponse::json(
                200, credentialsReply(input.value(QStringLiteral("IdentityId")).toString(), lifetime));
        };
    }
    std::unique_ptr<CognitoCredentialsProvider> makeProvider()
    {
        return std::make_unique<CognitoCredentialsProvider>(config, &identity, &sts, &tokens, &cache);
    }
    int count(const QString &op) const { return int(ops.count(op)); }

    FakeNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context;
    AwsClient aws;
    CognitoIdentityClient identity;
    StsClient sts;
    FakeTokens tokens;
    MemoryIdentityIdCache cache;
    CognitoCredentialsConfig config;
    QHash<QString, std::function<FakeResponse(const QJsonObject &)>> handlers;
    QStringList ops;
    QList<QByteArray> bodies;
    QString nextIdentity = QStringLiteral("eu-west-1:new-id");
    qint64 lifetime = 3600;
};

struct Result
{
    int calls = 0;
    AwsCredentials credentials;
    UserError error;
};

AwsCredentialsSource::Callback collect(Result &result)
{
    return [&result](const AwsCredentials &credentials, const UserError &error) {
        ++result.calls;
        result.credentials = credentials;
        result.error = error;
    };
}

} // namespace

class TestCredentialsProvider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enhancedFlowCachesIdentityAndCredentials();
    void cachedIdentitySkipsGetId();
    void concurrentRequestsShareOneRefresh();
    void refreshesEarly();
    void expiringCredentialsAreNotHandedOut();
    void rejectedCachedIdentityIsDroppedOnce_data();
    void rejectedCachedIdentityIsDroppedOnce();
    void rejectedFreshIdentityIsNotRetried();
    void basicFlow();
    void basicFlowWithoutRoleFailsWithoutNetwork();
    void errorsAreDiagnosed();
    void tokenSourceErrorPassesThrough();
    void clearCancelsWaiters();
    void settingsCache();
};

void TestCredentialsProvider::enhancedFlowCachesIdentityAndCredentials()
{
    Fixture f;
    f.config.customRoleArn = QStringLiteral("arn:aws:iam::123456789012:role/Custom");
    auto provider = f.makeProvider();
    QSignalSpy changed(provider.get(), &CognitoCredentialsProvider::credentialsChanged);
    QSignalSpy refreshing(provider.get(), &CognitoCredentialsProvider::refreshing);
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(result.calls, 1);
    QVERIFY(!result.error.isError());
    QCOMPARE(result.credentials.accessKeyId, QStringLiteral("ASIAONE"));
    QCOMPARE(result.credentials.identityId, QStringLiteral("eu-west-1:new-id"));
    QCOMPARE(f.ops, (QStringList{QStringLiteral("GetId"), QStringLiteral("GetCredentialsForIdentity")}));
    const QJsonObject getId = QJsonDocument::fromJson(f.bodies.at(0)).object();
    QCOMPARE(getId.value(QStringLiteral("IdentityPoolId")).toString(), pool);
    QCOMPARE(getId.value(QStringLiteral("Logins")).toObject().value(providerName).toString(),
             QString::fromLatin1(f.tokens.token.token));
    QCOMPARE(
        QJsonDocument::fromJson(f.bodies.at(1)).object().value(QStringLiteral("CustomRoleArn")).toString(),
        f.config.customRoleArn);
    QCOMPARE(f.cache.load(pool, QStringLiteral("auth0|123")), QStringLiteral("eu-west-1:new-id"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(refreshing.count(), 2);
    QCOMPARE(refreshing.at(0).at(0).toBool(), true);
    QCOMPARE(refreshing.at(1).at(0).toBool(), false);
    QCOMPARE(provider->identityId(), QStringLiteral("eu-west-1:new-id"));

    // Fresh credentials come from memory, synchronously, with no network and no token request.
    Result again;
    provider->requestCredentials(collect(again));
    QCOMPARE(again.calls, 1);
    QCOMPARE(again.credentials.accessKeyId, QStringLiteral("ASIAONE"));
    QCOMPARE(f.ops.size(), 2);
    QCOMPARE(f.tokens.requests, 1);
}

void TestCredentialsProvider::cachedIdentitySkipsGetId()
{
    Fixture f;
    f.cache.store(pool, QStringLiteral("auth0|123"), QStringLiteral("eu-west-1:cached"));
    auto provider = f.makeProvider();
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(result.calls, 1);
    QCOMPARE(f.ops, QStringList{QStringLiteral("GetCredentialsForIdentity")});
    QCOMPARE(result.credentials.identityId, QStringLiteral("eu-west-1:cached"));

    // Another user of the same pool does not get that identity.
    f.tokens.token.subject = QStringLiteral("auth0|other");
    provider->clear();
    Result other;
    provider->requestCredentials(collect(other));
    QTRY_COMPARE(other.calls, 1);
    QCOMPARE(f.count(QStringLiteral("GetId")), 1);
    QCOMPARE(other.credentials.identityId, QStringLiteral("eu-west-1:new-id"));
}

void TestCredentialsProvider::concurrentRequestsShareOneRefresh()
{
    Fixture f;
    auto provider = f.makeProvider();
    QSignalSpy refreshing(provider.get(), &CognitoCredentialsProvider::refreshing);
    Result a, b, c;
    provider->requestCredentials(collect(a));
    provider->requestCredentials(collect(b));
    QVERIFY(provider->isRefreshing());
    provider->refresh(); // no second refresh either
    provider->requestCredentials(collect(c));
    QTRY_COMPARE(c.calls, 1);
    QCOMPARE(a.calls, 1);
    QCOMPARE(b.calls, 1);
    QCOMPARE(a.credentials.accessKeyId, c.credentials.accessKeyId);
    QCOMPARE(f.tokens.requests, 1);
    QCOMPARE(f.count(QStringLiteral("GetId")), 1);
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 1);
    QCOMPARE(refreshing.count(), 2);
}

void TestCredentialsProvider::refreshesEarly()
{
    Fixture f;
    f.lifetime = 300 + 2; // due for refresh in about two seconds
    auto provider = f.makeProvider();
    QSignalSpy changed(provider.get(), &CognitoCredentialsProvider::credentialsChanged);
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(result.calls, 1);
    f.lifetime = 3600;
    f.handlers[QStringLiteral("GetCredentialsForIdentity")] = [](const QJsonObject &input) {
        return FakeResponse::json(200, credentialsReply(input.value(QStringLiteral("IdentityId")).toString(),
                                                        3600, QStringLiteral("ASIATWO")));
    };
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 6000);
    QCOMPARE(provider->credentials().accessKeyId, QStringLiteral("ASIATWO"));
    // The identity id was kept: no second GetId.
    QCOMPARE(f.ops, (QStringList{QStringLiteral("GetId"), QStringLiteral("GetCredentialsForIdentity"),
                                 QStringLiteral("GetCredentialsForIdentity")}));
}

void TestCredentialsProvider::expiringCredentialsAreNotHandedOut()
{
    Fixture f;
    auto provider = f.makeProvider();
    Result first;
    provider->requestCredentials(collect(first));
    QTRY_COMPARE(first.calls, 1);
    // Four minutes before expiry, the credentials are due for renewal: a caller waits for new ones.
    provider->setClock([] { return QDateTime::currentDateTimeUtc().addSecs(3600 - 240); });
    Result second;
    provider->requestCredentials(collect(second));
    QCOMPARE(second.calls, 0);
    QTRY_COMPARE(second.calls, 1);
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 2);
}

void TestCredentialsProvider::rejectedCachedIdentityIsDroppedOnce_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("basic");
    QTest::newRow("not found") << QByteArray("ResourceNotFoundException")
                               << QByteArray("Identity 'x' not found.") << false;
    QTest::newRow("not authorized") << QByteArray("NotAuthorizedException")
                                    << QByteArray("Logins don't match") << false;
    QTest::newRow("basic flow") << QByteArray("ResourceNotFoundException")
                                << QByteArray("Identity 'x' not found.") << true;
}

void TestCredentialsProvider::rejectedCachedIdentityIsDroppedOnce()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, message);
    QFETCH(bool, basic);
    Fixture f(basic ? CognitoCredentialsConfig::Flow::Basic : CognitoCredentialsConfig::Flow::Enhanced);
    f.cache.store(pool, QStringLiteral("auth0|123"), QStringLiteral("eu-west-1:stale"));
    const QString op = basic ? QStringLiteral("GetOpenIdToken") : QStringLiteral("GetCredentialsForIdentity");
    const auto previous = f.handlers.value(QStringLiteral("GetCredentialsForIdentity"));
    f.handlers[op] = [type, message, previous, basic](const QJsonObject &input) {
        const QString id = input.value(QStringLiteral("IdentityId")).toString();
        if (id == QLatin1String("eu-west-1:stale"))
            return error(400, type.constData(), message.constData());
        if (basic)
            return FakeResponse::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("IdentityId"), id},
                                               {QStringLiteral("Token"), QStringLiteral("oidc")}})
                         .toJson(QJsonDocument::Compact));
        return previous(input);
    };
    f.handlers[QStringLiteral("AssumeRoleWithWebIdentity")] = [](const QJsonObject &) {
        return FakeResponse::json(
            200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                 "<AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
                 "<SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
                 "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
    };
    auto provider = f.makeProvider();
    QSignalSpy errors(provider.get(), &CognitoCredentialsProvider::errorOccurred);
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(result.calls, 1);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.text()));
    QCOMPARE(result.credentials.identityId, QStringLiteral("eu-west-1:new-id"));
    QCOMPARE(f.count(op), 2);
    QCOMPARE(f.count(QStringLiteral("GetId")), 1);
    QCOMPARE(f.cache.load(pool, QStringLiteral("auth0|123")), QStringLiteral("eu-west-1:new-id"));
    QCOMPARE(errors.count(), 0);
}

void TestCredentialsProvider::rejectedFreshIdentityIsNotRetried()
{
    Fixture f;
    f.cache.store(pool, QStringLiteral("auth0|123"), QStringLiteral("eu-west-1:stale"));
    f.handlers[QStringLiteral("GetCredentialsForIdentity")] = [](const QJsonObject &) {
        return error(400, "NotAuthorizedException", "Invalid login token. Token expired: 1 >= 0");
    };
    auto provider = f.makeProvider();
    QSignalSpy errors(provider.get(), &CognitoCredentialsProvider::errorOccurred);
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(result.calls, 1);
    QCOMPARE(result.error.code, QStringLiteral("aws.token.expired"));
    QCOMPARE(f.count(QStringLiteral("GetId")), 1); // dropped and fetched once, not in a loop
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 2);
    QCOMPARE(errors.count(), 1);
    QVERIFY(!provider->isRefreshing());
}

void TestCredentialsProvider::basicFlow()
{
    Fixture f(CognitoCredentialsConfig::Flow::Basic);
    f.config.durationSeconds = 900;
    f.handlers[QStringLiteral("GetOpenIdToken")] = [](const QJsonObject &input) {
        return FakeResponse::json(
            200, QJsonDocument(
                     QJsonObject{{QStringLiteral("IdentityId"), input.value(QStringLiteral("IdentityId"))},
                                 {QStringLiteral("Token"), QStringLiteral("cognito-oidc-token")}})
                     .toJson(QJsonDocument::Compact));
    };
    f.handlers[QStringLiteral("AssumeRoleWithWebIdentity")] = [](const QJsonObject &) {
        return FakeResponse::json(
            200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                 "<AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
                 "<SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
                 "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
    };
    auto provider = f.makeProvider();
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(result.calls, 1);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.text()));
    QCOMPARE(f.ops, (QStringList{QStringLiteral("GetId"), QStringLiteral("GetOpenIdToken"),
                                 QStringLiteral("AssumeRoleWithWebIdentity")}));
    const QUrlQuery form(QString::fromLatin1(f.bodies.at(2)));
    QCOMPARE(form.queryItemValue(QStringLiteral("WebIdentityToken")), QStringLiteral("cognito-oidc-token"));
    QCOMPARE(form.queryItemValue(QStringLiteral("RoleArn"), QUrl::FullyDecoded), f.config.roleArn);
    QCOMPARE(form.queryItemValue(QStringLiteral("RoleSessionName")), QStringLiteral("fedsync"));
    QCOMPARE(form.queryItemValue(QStringLiteral("DurationSeconds")), QStringLiteral("900"));
    QCOMPARE(result.credentials.accessKeyId, QStringLiteral("ASIASTS"));
    QCOMPARE(result.credentials.identityId, QStringLiteral("eu-west-1:new-id"));
}

void TestCredentialsProvider::basicFlowWithoutRoleFailsWithoutNetwork()
{
    Fixture f(CognitoCredentialsConfig::Flow::Basic);
    f.config.roleArn.clear();
    auto provider = f.makeProvider();
    Result result;
    provider->requestCredentials(collect(result));
    QCOMPARE(result.calls, 0);
    QTRY_COMPARE(result.calls, 1);
    QCOMPARE(result.error.code, QStringLiteral("aws.role.missing"));
    QVERIFY(f.ops.isEmpty());
}

void TestCredentialsProvider::errorsAreDiagnosed()
{
    Fixture f;
    f.handlers[QStringLiteral("GetId")] = [](const QJsonObject &) {
        return error(400, "NotAuthorizedException", "Invalid login token. Issuer doesn't match providerName");
    };
    auto provider = f.makeProvider();
    QSignalSpy errors(provider.get(), &CognitoCredentialsProvider::errorOccurred);
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(result.calls, 1);
    QCOMPARE(result.error.code, QStringLiteral("aws.token.issuer"));
    QVERIFY(result.error.text().contains(QLatin1String("https://tenant.auth0.com/")));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().first().value<UserError>().code, QStringLiteral("aws.token.issuer"));
    QVERIFY(!result.credentials.isValid());
}

void TestCredentialsProvider::tokenSourceErrorPassesThrough()
{
    Fixture f;
    f.tokens.error =
        UserError::make(QStringLiteral("session.login_required"), QStringLiteral("Sign in again"));
    auto provider = f.makeProvider();
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(result.calls, 1);
    QCOMPARE(result.error.code, QStringLiteral("session.login_required"));
    QVERIFY(f.ops.isEmpty());
}

void TestCredentialsProvider::clearCancelsWaiters()
{
    Fixture f;
    f.handlers[QStringLiteral("GetId")] = [](const QJsonObject &) {
        return FakeResponse::hang();
    };
    auto provider = f.makeProvider();
    Result result;
    provider->requestCredentials(collect(result));
    QTRY_COMPARE(f.ops.size(), 1);
    provider->clear();
    QCOMPARE(result.calls, 1);
    QCOMPARE(result.error.code, QStringLiteral("aws.cancelled"));
    QVERIFY(!provider->isRefreshing());
    QTest::qWait(30);
    QCOMPARE(result.calls, 1);
    // Destroying a provider mid-refresh is safe too.
    Result late;
    provider->requestCredentials(collect(late));
    QTRY_COMPARE(f.ops.size(), 2);
    provider.reset();
    QTest::qWait(30);
    QCOMPARE(late.calls, 0);
}

void TestCredentialsProvider::settingsCache()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("test.ini")), QSettings::IniFormat);
    SettingsIdentityIdCache cache(&settings);
    QVERIFY(cache.load(pool, QStringLiteral("auth0|123")).isEmpty());
    cache.store(pool, QStringLiteral("auth0|123"), QStringLiteral("eu-west-1:abc"));
    cache.store(pool, QStringLiteral("google-oauth2|9"), QStringLiteral("eu-west-1:def"));
    QCOMPARE(cache.load(pool, QStringLiteral("auth0|123")), QStringLiteral("eu-west-1:abc"));
    settings.sync();
    QSettings reread(dir.filePath(QStringLiteral("test.ini")), QSettings::IniFormat);
    SettingsIdentityIdCache again(&reread);
    QCOMPARE(again.load(pool, QStringLiteral("google-oauth2|9")), QStringLiteral("eu-west-1:def"));
    again.forget(pool, QStringLiteral("auth0|123"));
    QVERIFY(again.load(pool, QStringLiteral("auth0|123")).isEmpty());
    QCOMPARE(again.load(pool, QStringLiteral("google-oauth2|9")), QStringLiteral("eu-west-1:def"));
}

FEDSYNC_TEST_MAIN(TestCredentialsProvider)
#include "tst_credentialsprovider.moc"
