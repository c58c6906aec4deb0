// IdTokenValidator: every rule of Auth0's SDKs, each failing on its own, with the error a person reads.
#include "oidc/base64url.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/jwks.h"
#include "testmain.h"
#include "testtokenfactory.h"

#include <QJsonArray>

#include <functional>

using namespace fedsync;
using fedsync::test::TestKey;
using fedsync::test::TestTokenFactory;
using Reason = IdTokenValidator::Reason;
using namespace std::chrono_literals;

namespace {

const QString Issuer = QStringLiteral("https://tenant.eu.auth0.com/");
const QString ClientId = QStringLiteral("client-123");
const QString Nonce = QStringLiteral("n-0S6_WzA2Mj");
const QDateTime Now = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
const qint64 NowSecs = Now.toSecsSinceEpoch();
const QString Rs256Advice = QStringLiteral(
    "In the Auth0 Dashboard, open Applications > your application > Advanced Settings > OAuth and set JSON "
    "Web "
    "Token (JWT) Signature Algorithm to RS256; Amazon Cognito only accepts RS256-signed tokens");

// One token and the context it is checked in; rows of the claim table change what they need.
struct Case
{
    QJsonObject header;
    QJsonObject payload;
    IdTokenValidator::ValidationContext ctx;
};
using Change = std::function<void(Case &)>;

} // namespace

Q_DECLARE_METATYPE(Change)
Q_DECLARE_METATYPE(fedsync::IdTokenValidator::Reason)

class TestIdTokenValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void validTokenGivesClaims();
    void checksClaims_data();
    void checksClaims();
    void leewayEdges_data();
    void leewayEdges();
    void refusesHs256WithAdvice();
    void refusesUnsignedToken();
    void refusesBadSignature_data();
    void refusesBadSignature();
    void unknownKidThenRotatedKeySet();
    void kidlessToken_data();
    void kidlessToken();
    void refusesShortKey();
    void refusesMalformed_data();
    void refusesMalformed();
    void nowDefaultsToTheClock();
    void nowComesFromTheContextClock();

private:
    Case defaultCase() const;
    IdTokenValidator::Result validate(const Case &c, const Jwks &jwks) const;
    std::optional<Jwks> jwksOf(const std::vector<const TestKey *> &keys) const;
    static void verifyError(const IdTokenValidator::Result &result, Reason reason, const QString &token);

    std::optional<TestKey> m_key;
    std::optional<TestKey> m_rotated;
    std::optional<TestKey> m_impostor; // same kid as m_key, different key
    std::optional<TestKey> m_short;
    std::optional<Jwks> m_jwks;
};

void TestIdTokenValidator::initTestCase()
{
    m_key = TestKey::generate(QStringLiteral("key-1"));
    m_rotated = TestKey::generate(QStringLiteral("key-2"));
    m_impostor = TestKey::generate(QStringLiteral("key-1"));
    m_short = TestKey::generate(QStringLiteral("short"), 1024);
    m_jwks = jwksOf({&*m_key});
    QVERIFY(m_jwks);
}

Case TestIdTokenValidator::defaultCase() const
{
    Case c;
    c.header = QJsonObject{{QStringLiteral("alg"), QStringLiteral("RS256")},
                           {QStringLiteral("typ"), QStringLiteral("JWT")},
                           {QStringLiteral("kid"), QStringLiteral("key-1")}};
    c.payload = QJsonObject{
        {QStringLiteral("iss"), Issuer},
        {QStringLiteral("sub"), QStringLiteral("auth0|64f1c0ffee")},
        {QStringLiteral("aud"), ClientId},
        {QStringLiteral("exp"), double(NowSecs + 36000)},
        {QStringLiteral("iat"), double(NowSecs - 10)},
        {QStringLiteral("auth_time"), double(NowSecs - 100)},
        {QStringLiteral("nonce"), Nonce},
        {QStringLiteral("name"), QStringLiteral("Alice Example")},
        {QStringLiteral("nickname"), QStringLiteral("alice")},
        {QStringLiteral("email"), QStringLiteral("alice@example.com")},
        {QStringLiteral("email_verified"), true},
        {QStringLiteral("picture"), QStringLiteral("https://s.gravatar.com/avatar/a.png")},
        {QStringLiteral("org_id"), QStringLiteral("org_AbC123")},
        {QStringLiteral("org_name"), QStringLiteral("acme")},
    };
    c.ctx.issuer = Issuer;
    c.ctx.clientId = ClientId;
    c.ctx.nonce = Nonce;
    c.ctx.now = Now;
    return c;
}

std::optional<Jwks> TestIdTokenValidator::jwksOf(const std::vector<const TestKey *> &keys) const
{
    UserError error;
    std::optional<Jwks> jwks = Jwks::parse(TestTokenFactory::jwks(keys), &error);
    if (!jwks)
        qWarning("%s", qPrintable(error.text()));
    return jwks;
}

IdTokenValidator::Result TestIdTokenValidator::validate(const Case &c, const Jwks &jwks) const
{
    IdTokenValidator::ValidationContext ctx = c.ctx;
    ctx.jwks = &jwks;
    return IdTokenValidator::validate(TestTokenFactory::signRs256(c.header, c.payload, *m_key), ctx);
}

void TestIdTokenValidator::verifyError(const IdTokenValidator::Result &result, Reason reason,
                                       const QString &token)
{
    QVERIFY2(result.reason == reason,
             qPrintable(QStringLiteral("expected %1, got %2: %3")
                            .arg(IdTokenValidator::reasonName(reason),
                                 IdTokenValidator::reasonName(result.reason), result.error.text())));
    QVERIFY(!result.isValid());
    QVERIFY(!result.claims);
    QCOMPARE(result.error.code, QStringLiteral("oidc.idtoken.") + IdTokenValidator::reasonName(reason));
    QVERIFY(result.error.what.contains(QStringLiteral("ID token failed a security check")));
    QVERIFY(!result.error.why.isEmpty());
    QVERIFY(!result.error.action.isEmpty());
    // Never the token, nor any of its parts.
    const QString everything = result.error.text() + result.error.details;
    for (const QString &part : token.split(u'.'))
        if (part.size() > 12)
            QVERIFY2(!everything.contains(part), qPrintable(everything));
}

void TestIdTokenValidator::validTokenGivesClaims()
{
    Case c = defaultCase();
    c.payload.insert(QStringLiteral("https://example.com/roles"), QJsonArray{QStringLiteral("admin")});
    const IdTokenValidator::Result result = validate(c, *m_jwks);
    QVERIFY2(result.isValid(), qPrintable(result.error.text()));
    QVERIFY(!result.error.isError());
    const IdTokenClaims &claims = *result.claims;
    QCOMPARE(claims.sub, QStringLiteral("auth0|64f1c0ffee"));
    QCOMPARE(claims.iss, Issuer);
    QCOMPARE(claims.aud, QStringList{ClientId});
    QVERIFY(claims.azp.isEmpty());
    QCOMPARE(claims.exp, Now.addSecs(36000));
    QCOMPARE(claims.iat, Now.addSecs(-10));
    QCOMPARE(claims.authTime, Now.addSecs(-100));
    QCOMPARE(claims.exp.timeSpec(), Qt::UTC);
    QCOMPARE(claims.nonce, Nonce);
    QCOMPARE(claims.name, QStringLiteral("Alice Example"));
    QCOMPARE(claims.nickname, QStringLiteral("alice"));
    QCOMPARE(claims.email, QStringLiteral("alice@example.com"));
    QVERIFY(claims.emailVerified);
    QCOMPARE(claims.picture, QStringLiteral("https://s.gravatar.com/avatar/a.png"));
    QCOMPARE(claims.orgId, QStringLiteral("org_AbC123"));
    QCOMPARE(claims.orgName, QStringLiteral("acme"));
    QCOMPARE(claims.raw().value(QLatin1String("https://example.com/roles")).toArray().first().toString(),
             QStringLiteral("admin"));
}

void TestIdTokenValidator::checksClaims_data()
{
    QTest::addColumn<Change>("change");
    QTest::addColumn<Reason>("reason");
    QTest::addColumn<QStringList>("whyContains");
    QTest::addColumn<QString>("actionContains");

    auto set = [](const char *claim, const QJsonValue &value) {
        return [claim, value](Case &c) {
            c.payload.insert(QLatin1String(claim), value);
        };
    };
    auto remove = [](const char *claim) {
        return [claim](Case &c) {
            c.payload.remove(QLatin1String(claim));
        };
    };
    auto at = [](qint64 offset) {
        return QJsonValue(double(NowSecs + offset));
    };
    const QString none;

    QTest::newRow("valid") << Change([](Case &) {}) << Reason::None << QStringList() << none;

    // Algorithm (signature checks have their own tests).
    QTest::newRow("alg none") << Change([](Case &c) {
        c.header.insert(QStringLiteral("alg"), QStringLiteral("none"));
    }) << Reason::AlgNone << QStringList{QStringLiteral("\"none\"")}
                              << QStringLiteral("Auth0 domain");
    QTest::newRow("alg None (case)") << Change([](Case &c) {
        c.header.insert(QStringLiteral("alg"), QStringLiteral("None"));
    }) << Reason::AlgNone << QStringList()
                                     << none;
    QTest::newRow("alg RS512") << Change([](Case &c) {
        c.header.insert(QStringLiteral("alg"), QStringLiteral("RS512"));
    }) << Reason::UnsupportedAlg
                               << QStringList{QStringLiteral("RS512")} << QStringLiteral("RS256");
    QTest::newRow("alg ES256") << Change([](Case &c) {
        c.header.insert(QStringLiteral("alg"), QStringLiteral("ES256"));
    }) << Reason::UnsupportedAlg
                               << QStringList{QStringLiteral("ES256")} << none;
    QTest::newRow("alg missing") << Change([](Case &c) { c.header.remove(QStringLiteral("alg")); })
                                 << Reason::UnsupportedAlg << QStringList{QStringLiteral("\"alg\"")} << none;
    QTest::newRow("crit header") << Change([](Case &c) {
        c.header.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("b64")});
    }) << Reason::Malformed << QStringList{QStringLiteral("crit")}
                                 << none;

    // Issuer.
    QTest::newRow("iss other tenant")
        << Change(set("iss", QStringLiteral("https://evil.example.com/"))) << Reason::IssuerMismatch
        << QStringList{QStringLiteral("https://evil.example.com/"), Issuer}
        << QStringLiteral("Auth0 domain in the profile");
    QTest::newRow("iss without trailing slash")
        << Change(set("iss", QStringLiteral("https://tenant.eu.auth0.com"))) << Reason::IssuerMismatch
        << QStringList{QStringLiteral("trailing slash")} << none;
    QTest::newRow("profile issuer without trailing slash")
        << Change([](Case &c) { c.ctx.issuer = QStringLiteral("https://tenant.eu.auth0.com"); })
        << Reason::IssuerMismatch << QStringList{QStringLiteral("trailing slash")}
        << QStringLiteral("trailing slash");
    QTest::newRow("iss http instead of https")
        << Change(set("iss", QStringLiteral("http://tenant.eu.auth0.com/"))) << Reason::IssuerMismatch
        << QStringList() << none;
    QTest::newRow("iss missing") << Change(remove("iss")) << Reason::IssuerMissing
                                 << QStringList{QStringLiteral("iss")} << none;
    QTest::newRow("iss a number") << Change(set("iss", 42)) << Reason::IssuerMissing << QStringList() << none;

    // Subject.
    QTest::newRow("sub missing") << Change(remove("sub")) << Reason::SubjectMissing
                                 << QStringList{QStringLiteral("sub")} << none;
    QTest::newRow("sub empty") << Change(set("sub", QString())) << Reason::SubjectMissing << QStringList()
                               << none;

    // Audience and authorized party.
    QTest::newRow("aud missing") << Change(remove("aud")) << Reason::AudienceMissing
                                 << QStringList{QStringLiteral("Missing a required claim: aud"),
                                                QStringLiteral("access token")}
                                 << none;
    QTest::newRow("aud empty array") << Change(set("aud", QJsonArray())) << Reason::AudienceMissing
                                     << QStringList() << none;
    QTest::newRow("aud other client")
        << Change(set("aud", QStringLiteral("other-client"))) << Reason::AudienceMismatch
        << QStringList{QStringLiteral("\"other-client\""), ClientId} << QStringLiteral("client ID");
    QTest::newRow("aud an API (access token)")
        << Change(set("aud", QStringLiteral("https://api.example.com/"))) << Reason::AudienceMismatch
        << QStringList{QStringLiteral("access token")} << none;
    QTest::newRow("aud array with client, azp right") << Change([](Case &c) {
        c.payload.insert(QStringLiteral("aud"),
                         QJsonArray{ClientId, QStringLiteral("https://api.example.com/")});
        c.payload.insert(QStringLiteral("azp"), ClientId);
    }) << Reason::None << QStringList() << none;
    QTest::newRow("aud array, azp missing") << Change([](Case &c) {
        c.payload.insert(QStringLiteral("aud"),
                         QJsonArray{ClientId, QStringLiteral("https://api.example.com/")});
    }) << Reason::AzpMissing << QStringList{QStringLiteral("azp")}
                                            << none;
    QTest::newRow("aud array, azp other") << Change([](Case &c) {
        c.payload.insert(QStringLiteral("aud"),
                         QJsonArray{ClientId, QStringLiteral("https://api.example.com/")});
        c.payload.insert(QStringLiteral("azp"), QStringLiteral("other-client"));
    }) << Reason::AzpMismatch << QStringList{QStringLiteral("\"other-client\""), ClientId}
                                          << none;
    QTest::newRow("aud array without client") << Change([](Case &c) {
        c.payload.insert(QStringLiteral("aud"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")});
        c.payload.insert(QStringLiteral("azp"), ClientId);
    }) << Reason::AudienceMismatch << QStringList()
                                              << none;
    QTest::newRow("single aud, azp other: not checked")
        << Change(set("azp", QStringLiteral("other-client"))) << Reason::None << QStringList() << none;

    // Times.
    QTest::newRow("exp missing") << Change(remove("exp")) << Reason::ExpMissing
                                 << QStringList{QStringLiteral("exp")} << none;
    QTest::newRow("exp a string") << Change(set("exp", QString::number(NowSecs + 3600))) << Reason::ExpMissing
                                  << QStringList() << none;
    QTest::newRow("expired an hour ago")
        << Change(set("exp", at(-3600))) << Reason::Expired
        << QStringList{QStringLiteral("2024-05-01T11:00:00Z"), QStringLiteral("2024-05-01T12:00:00Z"),
                       QStringLiteral("60 s")}
        << QStringLiteral("clock");
    QTest::newRow("iat missing") << Change(remove("iat")) << Reason::IatMissing
                                 << QStringList{QStringLiteral("iat")} << none;
    QTest::newRow("issued an hour in the future")
        << Change(set("iat", at(3600))) << Reason::IssuedInFuture
        << QStringList{QStringLiteral("2024-05-01T13:00:00Z")} << QStringLiteral("time");
    QTest::newRow("nbf in the future")
        << Change(set("nbf", at(600))) << Reason::NotYetValid
        << QStringList{QStringLiteral("2024-05-01T12:10:00Z")} << QStringLiteral("time");
    QTest::newRow("nbf within leeway") << Change(set("nbf", at(30))) << Reason::None << QStringList() << none;
    QTest::newRow("nbf past") << Change(set("nbf", at(-30))) << Reason::None << QStringList() << none;
    QTest::newRow("nbf not a number")
        << Change(set("nbf", QStringLiteral("soon"))) << Reason::NotYetValid << QStringList() << none;
    QTest::newRow("fractional exp") << Change(set("exp", NowSecs + 0.5)) << Reason::None << QStringList()
                                    << none;

    // Nonce: the values themselves never appear in the message.
    QTest::newRow("nonce other") << Change(set("nonce", QStringLiteral("replayed-nonce-value")))
                                 << Reason::NonceMismatch << QStringList{QStringLiteral("nonce")}
                                 << QStringLiteral("sign-in again");
    QTest::newRow("nonce missing") << Change(remove("nonce")) << Reason::NonceMissing << QStringList()
                                   << none;
    QTest::newRow("nonce not sent, token has one")
        << Change([](Case &c) { c.ctx.nonce.reset(); }) << Reason::None << QStringList() << none;

    // max_age and auth_time.
    QTest::newRow("max_age, recent auth_time")
        << Change([](Case &c) { c.ctx.maxAge = 3600s; }) << Reason::None << QStringList() << none;
    QTest::newRow("max_age, auth_time too old")
        << Change([](Case &c) {
               c.ctx.maxAge = 60s;
               c.payload.insert(QStringLiteral("auth_time"), double(NowSecs - 121));
           })
        << Reason::AuthTimeTooOld
        << QStringList{QStringLiteral("60 s"), QStringLiteral("2024-05-01T11:57:59Z")}
        << QStringLiteral("credentials");
    QTest::newRow("max_age, auth_time at leeway edge") << Change([](Case &c) {
        c.ctx.maxAge = 60s;
        c.payload.insert(QStringLiteral("auth_time"), double(NowSecs - 120));
    }) << Reason::None << QStringList() << none;
    QTest::newRow("max_age, auth_time missing") << Change([](Case &c) {
        c.ctx.maxAge = 60s;
        c.payload.remove(QStringLiteral("auth_time"));
    }) << Reason::AuthTimeMissing << QStringList{QStringLiteral("auth_time")}
                                                << none;
    QTest::newRow("no max_age, auth_time missing")
        << Change(remove("auth_time")) << Reason::None << QStringList() << none;

    // Organization.
    QTest::newRow("org id matches") << Change(
                                           [](Case &c) { c.ctx.organization = QStringLiteral("org_AbC123"); })
                                    << Reason::None << QStringList() << none;
    QTest::newRow("org id other") << Change([](Case &c) { c.ctx.organization = QStringLiteral("org_Other"); })
                                  << Reason::OrganizationMismatch
                                  << QStringList{QStringLiteral("org_Other"), QStringLiteral("org_AbC123")}
                                  << QStringLiteral("organization");
    QTest::newRow("org id case differs")
        << Change([](Case &c) { c.ctx.organization = QStringLiteral("org_abc123"); })
        << Reason::OrganizationMismatch << QStringList() << none;
    QTest::newRow("org id missing") << Change([](Case &c) {
        c.ctx.organization = QStringLiteral("org_AbC123");
        c.payload.remove(QStringLiteral("org_id"));
    }) << Reason::OrganizationMissing
                                    << QStringList{QStringLiteral("org_id")} << none;
    QTest::newRow("org name, any case")
        << Change([](Case &c) { c.ctx.organization = QStringLiteral("ACME"); }) << Reason::None
        << QStringList() << none;
    QTest::newRow("org name other") << Change([](Case &c) { c.ctx.organization = QStringLiteral("globex"); })
                                    << Reason::OrganizationMismatch << QStringList{QStringLiteral("globex")}
                                    << none;
    QTest::newRow("no org asked, token has one")
        << Change([](Case &c) { c.ctx.organization.reset(); }) << Reason::None << QStringList() << none;

    // The caller's side.
    QTest::newRow("context without client id")
        << Change([](Case &c) { c.ctx.clientId.clear(); }) << Reason::InvalidContext << QStringList()
        << QStringLiteral("bug");
}

void TestIdTokenValidator::checksClaims()
{
    QFETCH(Change, change);
    QFETCH(Reason, reason);
    QFETCH(QStringList, whyContains);
    QFETCH(QString, actionContains);

    Case c = defaultCase();
    change(c);
    const IdTokenValidator::Result result = validate(c, *m_jwks);
    if (reason == Reason::None) {
        QVERIFY2(result.isValid(), qPrintable(result.error.text()));
        return;
    }
    verifyError(result, reason, TestTokenFactory::signRs256(c.header, c.payload, *m_key));
    if (QTest::currentTestFailed())
        return;
    for (const QString &part : whyContains)
        QVERIFY2(result.error.why.contains(part), qPrintable(result.error.why));
    QVERIFY2(result.error.action.contains(actionContains, Qt::CaseInsensitive),
             qPrintable(result.error.action));
    QVERIFY(!result.error.text().contains(Nonce));
    QVERIFY(!result.error.text().contains(QStringLiteral("replayed-nonce-value")));
}

void TestIdTokenValidator::leewayEdges_data()
{
    QTest::addColumn<QString>("claim");
    QTest::addColumn<qint64>("offset"); // claim = now + offset
    QTest::addColumn<int>("leeway");
    QTest::addColumn<Reason>("reason");
    QTest::newRow("exp 59 s ago") << QStringLiteral("exp") << qint64(-59) << 60 << Reason::None;
    QTest::newRow("exp 60 s ago") << QStringLiteral("exp") << qint64(-60) << 60 << Reason::None;
    QTest::newRow("exp 61 s ago") << QStringLiteral("exp") << qint64(-61) << 60 << Reason::Expired;
    QTest::newRow("exp now, no leeway") << QStringLiteral("exp") << qint64(0) << 0 << Reason::None;
    QTest::newRow("exp 1 s ago, no leeway") << QStringLiteral("exp") << qint64(-1) << 0 << Reason::Expired;
    QTest::newRow("exp 61 s ago, 120 s leeway")
        << QStringLiteral("exp") << qint64(-61) << 120 << Reason::None;
    QTest::newRow("iat 59 s ahead") << QStringLiteral("iat") << qint64(59) << 60 << Reason::None;
    QTest::newRow("iat 60 s ahead") << QStringLiteral("iat") << qint64(60) << 60 << Reason::None;
    QTest::newRow("iat 61 s ahead") << QStringLiteral("iat") << qint64(61) << 60 << Reason::IssuedInFuture;
    QTest::newRow("nbf 59 s ahead") << QStringLiteral("nbf") << qint64(59) << 60 << Reason::None;
    QTest::newRow("nbf 61 s ahead") << QStringLiteral("nbf") << qint64(61) << 60 << Reason::NotYetValid;
}

void TestIdTokenValidator::leewayEdges()
{
    QFETCH(QString, claim);
    QFETCH(qint64, offset);
    QFETCH(int, leeway);
    QFETCH(Reason, reason);
    Case c = defaultCase();
    c.payload.insert(claim, double(NowSecs + offset));
    if (claim == QLatin1String("iat") || claim == QLatin1String("nbf"))
        c.payload.insert(QStringLiteral("exp"), double(NowSecs + 36000));
    c.ctx.leeway = std::chrono::seconds(leeway);
    const IdTokenValidator::Result result = validate(c, *m_jwks);
    QVERIFY2(result.reason == reason, qPrintable(result.error.text()));
    QCOMPARE(result.isValid(), reason == Reason::None);
}

void TestIdTokenValidator::refusesHs256WithAdvice()
{
    Case c = defaultCase();
    c.header.insert(QStringLiteral("alg"), QStringLiteral("HS256"));
    c.header.remove(QStringLiteral("kid"));
    const QString token = TestTokenFactory::signHs256(c.header, c.payload, "client-secret-abcdefghijklmnop");
    c.ctx.jwks = &*m_jwks;
    const IdTokenValidator::Result result = IdTokenValidator::validate(token, c.ctx);
    verifyError(result, Reason::HS256, token);
    QCOMPARE(result.error.code, QStringLiteral("oidc.idtoken.hs256"));
    QVERIFY2(result.error.action.contains(Rs256Advice), qPrintable(result.error.action));
    QVERIFY(result.error.why.contains(QStringLiteral("HS256")));
}

void TestIdTokenValidator::refusesUnsignedToken()
{
    Case c = defaultCase();
    c.header = QJsonObject{{QStringLiteral("alg"), QStringLiteral("none")}};
    const QString token = TestTokenFactory::unsignedToken(c.header, c.payload);
    c.ctx.jwks = &*m_jwks;
    verifyError(IdTokenValidator::validate(token, c.ctx), Reason::AlgNone, token);
}

void TestIdTokenValidator::refusesBadSignature_data()
{
    QTest::addColumn<int>("tampering");
    QTest::newRow("payload changed after signing") << 0;
    QTest::newRow("header changed after signing") << 1;
    QTest::newRow("signed by another key with the same kid") << 2;
    QTest::newRow("signature bit flipped") << 3;
    QTest::newRow("signature truncated") << 4;
    QTest::newRow("signature empty") << 5;
}

void TestIdTokenValidator::refusesBadSignature()
{
    QFETCH(int, tampering);
    Case c = defaultCase();
    QString token = TestTokenFactory::signRs256(c.header, c.payload, *m_key);
    QStringList parts = token.split(u'.');
    QCOMPARE(parts.size(), 3);
    QByteArray signature = QByteArray::fromBase64(parts[2].toLatin1(), QByteArray::Base64UrlEncoding);
    switch (tampering) {
    case 0: {
        QJsonObject payload = c.payload;
        payload.insert(QStringLiteral("sub"), QStringLiteral("auth0|someone-else"));
        parts[1] = QString::fromLatin1(TestTokenFactory::encodeJson(payload));
        break;
    }
    case 1: {
        QJsonObject header = c.header;
        header.insert(QStringLiteral("typ"), QStringLiteral("at+jwt"));
        parts[0] = QString::fromLatin1(TestTokenFactory::encodeJson(header));
        break;
    }
    case 2:
        token = TestTokenFactory::signRs256(c.header, c.payload, *m_impostor);
        break;
    case 3:
        signature[20] = char(signature[20] ^ 0x40);
        break;
    case 4:
        signature.chop(16);
        break;
    case 5:
        signature.clear();
        break;
    }
    if (tampering != 2) {
        parts[2] = QString::fromLatin1(
            signature.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        token = parts.join(u'.');
    }
    c.ctx.jwks = &*m_jwks;
    const IdTokenValidator::Result result = IdTokenValidator::validate(token, c.ctx);
    verifyError(result, Reason::BadSignature, token);
    QVERIFY(result.error.why.contains(QStringLiteral("\"key-1\"")));
}

void TestIdTokenValidator::unknownKidThenRotatedKeySet()
{
    Case c = defaultCase();
    c.header.insert(QStringLiteral("kid"), QStringLiteral("key-2"));
    const QString token = TestTokenFactory::signRs256(c.header, c.payload, *m_rotated);

    // The cached set predates the rotation.
    c.ctx.jwks = &*m_jwks;
    const IdTokenValidator::Result stale = IdTokenValidator::validate(token, c.ctx);
    verifyError(stale, Reason::UnknownKid, token);
    QVERIFY(stale.error.why.contains(QStringLiteral("\"key-2\"")));
    QVERIFY(stale.error.why.contains(QStringLiteral("\"key-1\"")));

    // The refetched set holds both keys during the rotation.
    const std::optional<Jwks> refetched = jwksOf({&*m_key, &*m_rotated});
    QVERIFY(refetched);
    c.ctx.jwks = &*refetched;
    const IdTokenValidator::Result result = IdTokenValidator::validate(token, c.ctx);
    QVERIFY2(result.isValid(), qPrintable(result.error.text()));
}

void TestIdTokenValidator::kidlessToken_data()
{
    QTest::addColumn<int>("keysInSet");
    QTest::addColumn<bool>("kidlessJwk");
    QTest::addColumn<Reason>("reason");
    QTest::newRow("one key") << 1 << false << Reason::None;
    QTest::newRow("one key without kid") << 1 << true << Reason::None;
    QTest::newRow("two keys") << 2 << false << Reason::AmbiguousKey;
}

void TestIdTokenValidator::kidlessToken()
{
    QFETCH(int, keysInSet);
    QFETCH(bool, kidlessJwk);
    QFETCH(Reason, reason);
    std::vector<QJsonObject> jwks{m_key->jwk()};
    if (kidlessJwk)
        jwks.front().remove(QStringLiteral("kid"));
    if (keysInSet == 2)
        jwks.push_back(m_rotated->jwk());
    UserError error;
    const std::optional<Jwks> set = Jwks::parse(TestTokenFactory::jwksOf(jwks), &error);
    QVERIFY(set);

    Case c = defaultCase();
    c.header.remove(QStringLiteral("kid"));
    const QString token = TestTokenFactory::signRs256(c.header, c.payload, *m_key);
    c.ctx.jwks = &*set;
    const IdTokenValidator::Result result = IdTokenValidator::validate(token, c.ctx);
    if (reason == Reason::None) {
        QVERIFY2(result.isValid(), qPrintable(result.error.text()));
        return;
    }
    verifyError(result, reason, token);
    QVERIFY(result.error.why.contains(QStringLiteral("2 signing keys")));
}

void TestIdTokenValidator::refusesShortKey()
{
    Case c = defaultCase();
    c.header.insert(QStringLiteral("kid"), QStringLiteral("short"));
    const QString token = TestTokenFactory::signRs256(c.header, c.payload, *m_short);
    const std::optional<Jwks> set = jwksOf({&*m_key, &*m_short});
    QVERIFY(set);
    QCOMPARE(set->size(), 1);
    c.ctx.jwks = &*set;
    const IdTokenValidator::Result result = IdTokenValidator::validate(token, c.ctx);
    verifyError(result, Reason::UnusableKey, token);
    QVERIFY2(result.error.why.contains(QStringLiteral("1024-bit")), qPrintable(result.error.why));
}

void TestIdTokenValidator::refusesMalformed_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("details");
    const QByteArray header =
        TestTokenFactory::encodeJson(QJsonObject{{QStringLiteral("alg"), QStringLiteral("RS256")}});
    const QByteArray payload =
        TestTokenFactory::encodeJson(QJsonObject{{QStringLiteral("sub"), QStringLiteral("x")}});
    QTest::newRow("empty") << QString() << QStringLiteral("oidc.jwt.empty");
    QTest::newRow("two parts") << QString::fromLatin1(header + '.' + payload)
                               << QStringLiteral("oidc.jwt.parts");
    QTest::newRow("bad base64") << TestTokenFactory::compact(header, "eyJzdWIi$$", "AAAA")
                                << QStringLiteral("oidc.jwt.base64");
    QTest::newRow("payload not JSON") << TestTokenFactory::compact(header, Base64Url::encode("sub=x"), "AAAA")
                                      << QStringLiteral("oidc.jwt.json");
    QTest::newRow("payload a JSON array")
        << TestTokenFactory::compact(header, Base64Url::encode("[]"), "AAAA")
        << QStringLiteral("oidc.jwt.json");
    QTest::newRow("huge") << TestTokenFactory::compact(header, QByteArray(65 * 1024, 'A'), "AAAA")
                          << QStringLiteral("oidc.jwt.size");
    QTest::newRow("opaque access token")
        << QStringLiteral("v2.local.opaque-token-value") << QStringLiteral("oidc.jwt.base64");
}

void TestIdTokenValidator::refusesMalformed()
{
    QFETCH(QString, token);
    QFETCH(QString, details);
    Case c = defaultCase();
    c.ctx.jwks = &*m_jwks;
    const IdTokenValidator::Result result = IdTokenValidator::validate(token, c.ctx);
    verifyError(result, Reason::Malformed, token);
    QCOMPARE(result.error.details, details);
}

void TestIdTokenValidator::nowDefaultsToTheClock()
{
    Case c = defaultCase();
    const qint64 clock = QDateTime::currentSecsSinceEpoch();
    c.payload.insert(QStringLiteral("iat"), double(clock - 5));
    c.payload.insert(QStringLiteral("exp"), double(clock + 600));
    c.ctx.now = QDateTime();
    QVERIFY(validate(c, *m_jwks).isValid());
    c.payload.insert(QStringLiteral("exp"), double(clock - 3600));
    QCOMPARE(validate(c, *m_jwks).reason, Reason::Expired);
}

// A test (or a caller) that controls time passes a Clock rather than a fixed `now`: the token is judged
// by that clock, not by the system's.
void TestIdTokenValidator::nowComesFromTheContextClock()
{
    Case c = defaultCase(); // exp is Now + 10 h
    c.ctx.now = QDateTime();
    QDateTime time = Now;
    c.ctx.clock = Clock([&time] { return time; });
    QVERIFY(validate(c, *m_jwks).isValid());
    time = Now.addSecs(36000 + 3600);
    QCOMPARE(validate(c, *m_jwks).reason, Reason::Expired);
}

FEDSYNC_TEST_MAIN(TestIdTokenValidator)
#include "tst_idtokenvalidator.moc"
