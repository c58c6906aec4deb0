// AuthorizationRequest: the /authorize URL Auth0 receives, and the redirect read back (code, or error).
#include "oidc/authorizationrequest.h"
#include "testmain.h"

#include <QUrlQuery>

using namespace fedsync;
using namespace std::chrono_literals;

namespace {

const QString State = QStringLiteral("af0ifjsldkj_-Q");

AuthorizationRequest fullRequest()
{
    AuthorizationRequest request;
    request.authorizationEndpoint = QUrl(QStringLiteral("https://tenant.eu.auth0.com/authorize"));
    request.clientId = QStringLiteral("client-123");
    request.redirectUri = QUrl(QStringLiteral("https://fedsync.local/callback"));
    request.scope = QStringLiteral("openid profile email offline_access");
    request.audience = QStringLiteral("https://api.example.com/");
    request.connection = QStringLiteral("google-oauth2");
    request.organization = QStringLiteral("org_AbC123");
    request.prompt = QStringLiteral("login");
    request.screenHint = QStringLiteral("signup");
    request.uiLocales = QStringLiteral("fr-CA en");
    request.maxAge = 3600s;
    request.state = State;
    request.nonce = QStringLiteral("n-0S6_WzA2Mj");
    request.codeChallenge = QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    return request;
}

QUrl callback(const QString &query)
{
    return QUrl(QStringLiteral("https://fedsync.local/callback?") + query, QUrl::StrictMode);
}

} // namespace

class TestAuthorizationRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void buildsAuthorizeUrl();
    void leavesOutEmptyOptionalParameters();
    void encodesReservedCharacters();
    void addsOpenIdScope();
    void keepsEndpointQuery();
    void refusesIncompleteRequest_data();
    void refusesIncompleteRequest();
    void recognizesRedirect_data();
    void recognizesRedirect();
    void parsesCallback_data();
    void parsesCallback();
};

void TestAuthorizationRequest::buildsAuthorizeUrl()
{
    const QUrl url = fullRequest().url();
    QVERIFY(url.isValid());
    QCOMPARE(url.scheme(), QStringLiteral("https"));
    QCOMPARE(url.host(), QStringLiteral("tenant.eu.auth0.com"));
    QCOMPARE(url.path(), QStringLiteral("/authorize"));
    const QUrlQuery query(url);
    auto value = [&query](const char *key) {
        return query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    };
    QCOMPARE(value("response_type"), QStringLiteral("code"));
    QCOMPARE(value("client_id"), QStringLiteral("client-123"));
    QCOMPARE(value("redirect_uri"), QStringLiteral("https://fedsync.local/callback"));
    QCOMPARE(value("scope"), QStringLiteral("openid profile email offline_access"));
    QCOMPARE(value("state"), State);
    QCOMPARE(value("nonce"), QStringLiteral("n-0S6_WzA2Mj"));
    QCOMPARE(value("code_challenge"), QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    QCOMPARE(value("code_challenge_method"), QStringLiteral("S256"));
    QCOMPARE(value("audience"), QStringLiteral("https://api.example.com/"));
    QCOMPARE(value("connection"), QStringLiteral("google-oauth2"));
    QCOMPARE(value("organization"), QStringLiteral("org_AbC123"));
    QCOMPARE(value("prompt"), QStringLiteral("login"));
    QCOMPARE(value("screen_hint"), QStringLiteral("signup"));
    QCOMPARE(value("ui_locales"), QStringLiteral("fr-CA en"));
    QCOMPARE(value("max_age"), QStringLiteral("3600"));
    QVERIFY(!query.hasQueryItem(QStringLiteral("auth0Client")));
    QVERIFY(!query.hasQueryItem(QStringLiteral("response_mode")));
    const QString encoded = url.toString(QUrl::FullyEncoded);
    QVERIFY2(encoded.contains(QLatin1String("scope=openid%20profile%20email%20offline_access")),
             qPrintable(encoded));
    QVERIFY2(encoded.contains(QLatin1String("redirect_uri=https%3A%2F%2Ffedsync.local%2Fcallback")),
             qPrintable(encoded));
}

void TestAuthorizationRequest::leavesOutEmptyOptionalParameters()
{
    AuthorizationRequest request = fullRequest();
    request.audience.clear();
    request.connection.clear();
    request.organization.clear();
    request.prompt.clear();
    request.screenHint.clear();
    request.uiLocales.clear();
    request.maxAge.reset();
    const QUrlQuery query(request.url());
    QCOMPARE(query.queryItems().size(), 8);
    for (const char *key :
         {"audience", "connection", "organization", "prompt", "screen_hint", "ui_locales", "max_age"})
        QVERIFY2(!query.hasQueryItem(QLatin1String(key)), key);
}

void TestAuthorizationRequest::encodesReservedCharacters()
{
    AuthorizationRequest request = fullRequest();
    request.audience = QStringLiteral("https://api.example.com/a+b&c=d#e f%g");
    request.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:8765/cb?x=1"));
    const QUrl url = request.url();
    const QString encoded = url.toString(QUrl::FullyEncoded);
    QVERIFY2(
        encoded.contains(QLatin1String("audience=https%3A%2F%2Fapi.example.com%2Fa%2Bb%26c%3Dd%23e%20f%25g")),
        qPrintable(encoded));
    QVERIFY2(encoded.contains(QLatin1String("redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcb%3Fx%3D1")),
             qPrintable(encoded));
    QVERIFY(!url.hasFragment());
    // What a server decodes (form rules: '+' is a space) is exactly what was given.
    const QUrlQuery query(url.query(QUrl::FullyEncoded).replace(u'+', QLatin1String("%20")));
    QCOMPARE(query.queryItemValue(QStringLiteral("audience"), QUrl::FullyDecoded), request.audience);
    QCOMPARE(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
             QStringLiteral("http://127.0.0.1:8765/cb?x=1"));
}

void TestAuthorizationRequest::addsOpenIdScope()
{
    AuthorizationRequest request = fullRequest();
    request.scope = QStringLiteral("profile  email");
    QCOMPARE(QUrlQuery(request.url()).queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
             QStringLiteral("openid profile email"));
    request.scope.clear();
    QCOMPARE(QUrlQuery(request.url()).queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
             QStringLiteral("openid"));
}

void TestAuthorizationRequest::keepsEndpointQuery()
{
    AuthorizationRequest request = fullRequest();
    request.authorizationEndpoint = QUrl(QStringLiteral("http://localhost:4000/authorize?tenant=dev"));
    const QUrlQuery query(request.url());
    QCOMPARE(query.queryItemValue(QStringLiteral("tenant")), QStringLiteral("dev"));
    QCOMPARE(query.queryItemValue(QStringLiteral("client_id")), QStringLiteral("client-123"));
}

void TestAuthorizationRequest::refusesIncompleteRequest_data()
{
    QTest::addColumn<QString>("field");
    for (const char *field :
         {"endpoint", "relative endpoint", "clientId", "redirectUri", "state", "nonce", "codeChallenge"})
        QTest::newRow(field) << QString::fromLatin1(field);
}

void TestAuthorizationRequest::refusesIncompleteRequest()
{
    QFETCH(QString, field);
    AuthorizationRequest request = fullRequest();
    if (field == QLatin1String("endpoint"))
        request.authorizationEndpoint = QUrl();
    else if (field == QLatin1String("relative endpoint"))
        request.authorizationEndpoint = QUrl(QStringLiteral("/authorize"));
    else if (field == QLatin1String("clientId"))
        request.clientId.clear();
    else if (field == QLatin1String("redirectUri"))
        request.redirectUri = QUrl();
    else if (field == QLatin1String("state"))
        request.state.clear();
    else if (field == QLatin1String("nonce"))
        request.nonce.clear();
    else
        request.codeChallenge.clear();
    QVERIFY(request.url().isEmpty());
}

void TestAuthorizationRequest::recognizesRedirect_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("isRedirect");
    QTest::newRow("with code") << QStringLiteral("https://fedsync.local/callback?code=x&state=y") << true;
    QTest::newRow("host case") << QStringLiteral("https://FEDSYNC.local/callback?code=x") << true;
    QTest::newRow("other path") << QStringLiteral("https://fedsync.local/callback2?code=x") << false;
    QTest::newRow("other host") << QStringLiteral("https://evil.example/callback?code=x") << false;
    QTest::newRow("other scheme") << QStringLiteral("http://fedsync.local/callback?code=x") << false;
    QTest::newRow("other port") << QStringLiteral("https://fedsync.local:8443/callback?code=x") << false;
}

void TestAuthorizationRequest::recognizesRedirect()
{
    QFETCH(QString, url);
    QFETCH(bool, isRedirect);
    QCOMPARE(fullRequest().isRedirect(QUrl(url)), isRedirect);
}

void TestAuthorizationRequest::parsesCallback_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("code");      // expected code when it succeeds
    QTest::addColumn<QString>("errorCode"); // expected UserError code when it fails
    QTest::addColumn<QString>("textContains");

    const QString state = QStringLiteral("&state=") + State;
    QTest::newRow("code") << (QStringLiteral("code=SplxlOBeZQQYbYS6WxSbIA") + state)
                          << QStringLiteral("SplxlOBeZQQYbYS6WxSbIA") << QString() << QString();
    QTest::newRow("encoded code") << (QStringLiteral("code=a%2Bb%2Fc") + state) << QStringLiteral("a+b/c")
                                  << QString() << QString();
    QTest::newRow("state mismatch") << QStringLiteral("code=abc&state=attacker") << QString()
                                    << QStringLiteral("oidc.authorize.state_mismatch")
                                    << QStringLiteral("Start the sign-in again");
    QTest::newRow("state missing") << QStringLiteral("code=abc") << QString()
                                   << QStringLiteral("oidc.authorize.state_mismatch")
                                   << QStringLiteral("CSRF");
    QTest::newRow("state twice") << (QStringLiteral("code=abc&state=other") + state) << QString()
                                 << QStringLiteral("oidc.authorize.state_mismatch") << QString();
    QTest::newRow("error with wrong state")
        << QStringLiteral("error=access_denied&state=attacker") << QString()
        << QStringLiteral("oidc.authorize.state_mismatch") << QString();
    QTest::newRow("no code") << QString(QStringLiteral("state=") + State) << QString()
                             << QStringLiteral("oidc.authorize.no_code")
                             << QStringLiteral("no authorization code");
    QTest::newRow("access_denied, form-encoded description")
        << (QStringLiteral("error=access_denied&error_description=User+did+not+authorize+the+request") +
            state)
        << QString() << QStringLiteral("oidc.authorize.access_denied")
        << QStringLiteral("Auth0 said: \"User did not authorize the request\"");
    QTest::newRow("login_required")
        << (QStringLiteral("error=login_required&error_description=Login%20required") + state) << QString()
        << QStringLiteral("oidc.authorize.login_required") << QStringLiteral("session has ended");
    QTest::newRow("consent_required")
        << (QStringLiteral("error=consent_required") + state) << QString()
        << QStringLiteral("oidc.authorize.consent_required") << QStringLiteral("accept the access request");
    QTest::newRow("interaction_required")
        << (QStringLiteral("error=interaction_required") + state) << QString()
        << QStringLiteral("oidc.authorize.interaction_required") << QStringLiteral("multi-factor");
    QTest::newRow("unauthorized (blocked user)")
        << (QStringLiteral("error=unauthorized&error_description=user%20is%20blocked") + state) << QString()
        << QStringLiteral("oidc.authorize.unauthorized") << QStringLiteral("user is blocked");
    QTest::newRow("invalid_request")
        << (QStringLiteral("error=invalid_request&error_description=bad+redirect_uri") + state) << QString()
        << QStringLiteral("oidc.authorize.invalid_request") << QStringLiteral("Allowed Callback URLs");
    QTest::newRow("other error") << (QStringLiteral("error=temporarily_unavailable") + state) << QString()
                                 << QStringLiteral("oidc.authorize.error")
                                 << QStringLiteral("temporarily_unavailable");
    QTest::newRow("error wins over code")
        << (QStringLiteral("code=abc&error=login_required") + state) << QString()
        << QStringLiteral("oidc.authorize.login_required") << QString();
}

void TestAuthorizationRequest::parsesCallback()
{
    QFETCH(QString, query);
    QFETCH(QString, code);
    QFETCH(QString, errorCode);
    QFETCH(QString, textContains);
    const AuthorizationRequest::Callback result = fullRequest().parseCallback(callback(query));
    if (errorCode.isEmpty()) {
        QVERIFY2(!result.isError(), qPrintable(result.error.text()));
        QCOMPARE(result.code, code);
        QCOMPARE(result.state, State);
        return;
    }
    QVERIFY(result.isError());
    QVERIFY(result.code.isEmpty());
    QCOMPARE(result.error.code, errorCode);
    QVERIFY(!result.error.what.isEmpty() && !result.error.why.isEmpty() && !result.error.action.isEmpty());
    QVERIFY2(result.error.text().contains(textContains), qPrintable(result.error.text()));
    QVERIFY(!result.error.text().contains(QLatin1String("abc")));
}

FEDSYNC_TEST_MAIN(TestAuthorizationRequest)
#include "tst_authorizationrequest.moc"
