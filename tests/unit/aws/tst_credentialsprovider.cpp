// CognitoCredentialsProvider over a fake Cognito Identity / STS: enhanced and basic flows, identity-id
// caching, one refresh for many callers, early refresh, a rejected cached id dropped and fetched once,
// diagnosed errors.
#include "aws/awsclient.h"
#include "aws/cognitocredentialsprovider.h"
#include "aws/cognitoidentityclient.h"
#include "aws/settingsidentityidcache.h"
#include "aws/stsclient.h"
#include "fakenetwork.h"
#include "memoryidentityidcache.h"
#include "net/networkcontext.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QJsonDocument>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

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
    void requestNewIdToken(Callback callback) override
    {
        ++newTokenRequests;
        token = newToken.token.isEmpty() ? token : newToken;
        requestIdToken(std::move(callback));
    }
    FederatedIdToken newToken;
    int newTokenRequests = 0;
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

// Asks `provider` once and waits for the answer (5 s at most): what it got, the answers counted up to then.
Result requestOnce(CognitoCredentialsProvider &provider)
{
    auto result = std::make_shared<Result>();
    provider.requestCredentials([result](const AwsCredentials &credentials, const UserError &error) {
        ++result->calls;
        result->credentials = credentials;
        result->error = error;
    });
    (void)QTest::qWaitFor([&result] { return result->calls > 0; }, 5000);
    return *result;
}

// STS's answer to AssumeRoleWithWebIdentity: credentials ASIASTS that last until 2099.
FakeResponse stsCredentialsReply()
{
    return FakeResponse::json(
        200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
             "<AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
             "<SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
             "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
}

// Cognito Identity's answer to GetOpenIdToken.
FakeResponse openIdTokenReply(const QJsonValue &identityId, const QString &token)
{
    return FakeResponse::json(200, QJsonDocument(QJsonObject{{QStringLiteral("IdentityId"), identityId},
                                                             {QStringLiteral("Token"), token}})
                                       .toJson(QJsonDocument::Compact));
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
    void keyRotationTriesANewTokenOnce();
    void shortLifetimeRenewsAtAFraction_data();
    void shortLifetimeRenewsAtAFraction();
    void failedRenewalsBackOffWithJitter();
    void renewalsStayWithinTheHourlyBudget();
    void sharedCacheAnswersWithoutRequests();
};

void TestCredentialsProvider::enhancedFlowCachesIdentityAndCredentials()
{
    Fixture f;
    f.config.customRoleArn = QStringLiteral("arn:aws:iam::123456789012:role/Custom");
    auto provider = f.makeProvider();
    QSignalSpy changed(provider.get(), &CognitoCredentialsProvider::credentialsChanged);
    QSignalSpy refreshing(provider.get(), &CognitoCredentialsProvider::refreshing);
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
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
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
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
    f.lifetime = 5; // renewed when a fifth of the lifetime is left: in about four seconds
    auto provider = f.makeProvider();
    QSignalSpy changed(provider.get(), &CognitoCredentialsProvider::credentialsChanged);
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
    f.lifetime = 3600;
    f.handlers[QStringLiteral("GetCredentialsForIdentity")] = [](const QJsonObject &input) {
        return FakeResponse::json(200, credentialsReply(input.value(QStringLiteral("IdentityId")).toString(),
                                                        3600, QStringLiteral("ASIATWO")));
    };
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 9000);
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
            return openIdTokenReply(id, QStringLiteral("oidc"));
        return previous(input);
    };
    f.handlers[QStringLiteral("AssumeRoleWithWebIdentity")] = [](const QJsonObject &) {
        return stsCredentialsReply();
    };
    auto provider = f.makeProvider();
    QSignalSpy errors(provider.get(), &CognitoCredentialsProvider::errorOccurred);
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
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
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
    QCOMPARE(result.error.code, QStringLiteral("aws.token.expired"));
    // The token was refused, not the identity: one new token is tried, the cached identity is kept.
    QCOMPARE(f.tokens.newTokenRequests, 1);
    QCOMPARE(f.count(QStringLiteral("GetId")), 0);
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 2);
    QCOMPARE(errors.count(), 1);
    QVERIFY(!provider->isRefreshing());
}

void TestCredentialsProvider::basicFlow()
{
    Fixture f(CognitoCredentialsConfig::Flow::Basic);
    f.config.durationSeconds = 900;
    f.handlers[QStringLiteral("GetOpenIdToken")] = [](const QJsonObject &input) {
        return openIdTokenReply(input.value(QStringLiteral("IdentityId")),
                                QStringLiteral("cognito-oidc-token"));
    };
    f.handlers[QStringLiteral("AssumeRoleWithWebIdentity")] = [](const QJsonObject &) {
        return stsCredentialsReply();
    };
    auto provider = f.makeProvider();
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
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
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
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
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
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

void TestCredentialsProvider::keyRotationTriesANewTokenOnce()
{
    Fixture f;
    f.tokens.newToken = f.tokens.token;
    f.tokens.newToken.token = "eyJhbGciOiJSUzI1NiIsImtpZCI6Im5ldyJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.bmV3";
    const QByteArray newToken = f.tokens.newToken.token;
    const auto previous = f.handlers.value(QStringLiteral("GetId"));
    // The provider dropped the key that signed the first token: Cognito cannot verify it any more.
    f.handlers[QStringLiteral("GetId")] = [previous, newToken](const QJsonObject &input) {
        if (input.value(QStringLiteral("Logins")).toObject().value(providerName).toString().toUtf8() !=
            newToken)
            return error(400, "NotAuthorizedException", "Invalid login token. Couldn't verify signed token.");
        return previous(input);
    };
    auto provider = f.makeProvider();
    QSignalSpy errors(provider.get(), &CognitoCredentialsProvider::errorOccurred);
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.text()));
    QCOMPARE(f.tokens.newTokenRequests, 1);
    QCOMPARE(f.count(QStringLiteral("GetId")), 2);
    QCOMPARE(errors.count(), 0); // nothing advised: the retry worked
}

void TestCredentialsProvider::shortLifetimeRenewsAtAFraction_data()
{
    QTest::addColumn<qint64>("lifetime");
    QTest::addColumn<qint64>("renewAfter");
    QTest::newRow("one hour: five minutes before") << qint64(3600) << qint64(3300);
    QTest::newRow("two minutes: at 80%") << qint64(120) << qint64(96);
    QTest::newRow("twenty seconds: at 80%") << qint64(20) << qint64(16);
}

void TestCredentialsProvider::shortLifetimeRenewsAtAFraction()
{
    QFETCH(qint64, lifetime);
    QFETCH(qint64, renewAfter);
    Fixture f;
    f.lifetime = lifetime;
    auto provider = f.makeProvider();
    const QDateTime start = QDateTime::currentDateTimeUtc();
    provider->setClock([start] { return start; });
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
    const qint64 after = start.secsTo(provider->nextRenewal());
    QVERIFY2(qAbs(after - renewAfter) <= 2, qPrintable(QString::number(after)));
    // Still fresh for callers until then: no request per call.
    Result again;
    provider->requestCredentials(collect(again));
    QCOMPARE(again.calls, 1);
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 1);
}

void TestCredentialsProvider::failedRenewalsBackOffWithJitter()
{
    Fixture f;
    auto provider = f.makeProvider();
    QDateTime clock = QDateTime::currentDateTimeUtc();
    provider->setClock([&clock] { return clock; });
    Result first;
    provider->requestCredentials(collect(first));
    QTRY_COMPARE(first.calls, 1);
    f.handlers[QStringLiteral("GetCredentialsForIdentity")] = [](const QJsonObject &) {
        return error(400, "ResourceNotFoundException", "Identity pool not found");
    };
    QSignalSpy errors(provider.get(), &CognitoCredentialsProvider::errorOccurred);
    QList<qint64> delays;
    for (int failure = 1; failure <= 8; ++failure) {
        provider->refresh();
        QTRY_COMPARE(errors.count(), failure);
        delays << clock.secsTo(provider->nextRenewal());
    }
    // 5 s doubling to 300 s, each between half and all of its step; never the old one second.
    qint64 step = 5;
    for (const qint64 delay : std::as_const(delays)) {
        QVERIFY2(delay >= step / 2 && delay <= step,
                 qPrintable(QStringLiteral("%1 for step %2").arg(delay).arg(step)));
        step = qMin<qint64>(300, step * 2);
    }
    QVERIFY(delays.last() >= 150);
}

void TestCredentialsProvider::renewalsStayWithinTheHourlyBudget()
{
    Fixture f;
    f.lifetime = 2;                     // would be renewed every 1.6 s
    f.config.maxRenewalsPerHour = 1200; // at most one every 3 s
    auto provider = f.makeProvider();
    const Result result = requestOnce(*provider);
    QCOMPARE(result.calls, 1);
    QTest::qWait(7500);
    // 1 + at most 3 renewals in 7.5 s (the old code renewed every second: 7 or more).
    const int calls = f.count(QStringLiteral("GetCredentialsForIdentity"));
    QVERIFY2(calls >= 2 && calls <= 4, qPrintable(QString::number(calls)));
}

namespace {
class FakeCredentialsCache final : public AwsCredentialsCache
{
public:
    AwsCredentials loadCredentials(const QString &p, const QString &scope) override
    {
        return p == pool && scope == storedScope ? stored : AwsCredentials();
    }
    void storeCredentials(const QString &, const QString &scope, const AwsCredentials &credentials) override
    {
        stored = credentials;
        storedScope = scope;
        ++stores;
    }
    QString storedScope;
    AwsCredentials stored;
    int stores = 0;
};
} // namespace

void TestCredentialsProvider::sharedCacheAnswersWithoutRequests()
{
    Fixture f;
    FakeCredentialsCache shared;
    auto first = f.makeProvider();
    first->setCache(&shared);
    Result one;
    first->requestCredentials(collect(one));
    QTRY_COMPARE(one.calls, 1);
    QCOMPARE(shared.stores, 1);
    QCOMPARE(shared.stored.identityId, QStringLiteral("eu-west-1:new-id"));
    // Another process of the same session: answered from the cache, no request.
    auto second = f.makeProvider();
    second->setCache(&shared);
    Result two;
    second->requestCredentials(collect(two));
    QCOMPARE(two.calls, 1);
    QCOMPARE(two.credentials.accessKeyId, one.credentials.accessKeyId);
    QCOMPARE(f.ops.size(), 2);
    // Another process of the same session asks: how many answers it had within 5 s (one is expected).
    const auto askAsAnotherProcess = [&f, &shared] {
        auto provider = f.makeProvider();
        provider->setCache(&shared);
        Result result;
        provider->requestCredentials(collect(result));
        (void)QTest::qWaitFor([&result] { return result.calls > 0; }, 5000); // the count says it
        return result.calls;
    };
    // Credentials for another role (the profile was edited since) are not used.
    f.config.customRoleArn = QStringLiteral("arn:aws:iam::123456789012:role/Other");
    QCOMPARE(askAsAnotherProcess(), 1);
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 2);
    // Cached credentials about to expire (an hour's credentials with 30 s left) are not used.
    shared.stored.issued = QDateTime::currentDateTimeUtc().addSecs(-3570);
    shared.stored.expiration = QDateTime::currentDateTimeUtc().addSecs(30);
    QCOMPARE(askAsAnotherProcess(), 1);
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 3);
    // Credentials that live a minute, obtained 10 s ago, have their own margin (12 s) left: used.
    shared.stored.issued = QDateTime::currentDateTimeUtc().addSecs(-10);
    shared.stored.expiration = QDateTime::currentDateTimeUtc().addSecs(50);
    QCOMPARE(askAsAnotherProcess(), 1);
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 3);
    // The same without their issue time (an entry written by an earlier version): the full margin.
    shared.stored.issued = {};
    QCOMPARE(askAsAnotherProcess(), 1);
    QCOMPARE(f.count(QStringLiteral("GetCredentialsForIdentity")), 4);
}

FEDSYNC_TEST_MAIN(TestCredentialsProvider)
#include "tst_credentialsprovider.moc"
