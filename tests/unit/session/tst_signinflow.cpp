// SignInFlow's handling of what comes back from the browser, on the fake network: only its own redirect
// counts, a state mismatch is refused, and a cancelled sign-in stays quiet.
#include "auth/auth0client.h"
#include "fakenetwork.h"
#include "net/networkcontext.h"
#include "memorysecretstore.h"
#include "session/signinstate.h"
#include "session/signinflow.h"
#include "testmain.h"

#include <QSignalSpy>
#include <QUrlQuery>

using namespace fedsync;
using namespace fedsync::test;

class TestSignInFlow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void authorizationUrlCarriesPkceStateNonce();
    void ignoresOtherUrlsOfTheScheme();
    void refusesStateMismatch();
    void cancelledFlowStaysQuiet();

private:
    QUrl startFlow();

    std::unique_ptr<FakeNetworkAccessManager> m_nam;
    std::unique_ptr<NetworkContext> m_context;
    std::unique_ptr<Auth0Client> m_client;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<SignInState> m_session;
    std::unique_ptr<SignInFlow> m_flow;
};

void TestSignInFlow::init()
{
    m_nam = std::make_unique<FakeNetworkAccessManager>();
    m_nam->setHandler([](const RecordedRequest &r) {
        if (r.request.url().path().endsWith(QStringLiteral("openid-configuration")))
            return FakeResponse::json(200, R"({"issuer":"https://tenant.example/",
                "authorization_endpoint":"https://tenant.example/authorize",
                "token_endpoint":"https://tenant.example/oauth/token",
                "jwks_uri":"https://tenant.example/.well-known/jwks.json"})");
        return FakeResponse::hang(); // the token endpoint never answers: cancel must still be clean
    });
    m_context = std::make_unique<NetworkContext>(m_nam.get(), nullptr);
    m_client = std::make_unique<Auth0Client>(*m_context, QStringLiteral("https://tenant.example/"),
                                             QStringLiteral("client123"));
    m_secrets = std::make_unique<MemorySecretStore>();
    Profile profile;
    profile.id = QStringLiteral("test");
    profile.auth0.domain = QStringLiteral("tenant.example");
    profile.auth0.clientId = QStringLiteral("client123");
    m_session = std::make_unique<SignInState>(profile, m_client.get(), m_secrets.get());
    m_flow = std::make_unique<SignInFlow>(m_session.get());
}

void TestSignInFlow::cleanup()
{
    m_flow.reset();
    m_session.reset();
    m_client.reset();
}

QUrl TestSignInFlow::startFlow()
{
    QSignalSpy ready(m_flow.get(), &SignInFlow::authorizationUrlReady);
    m_flow->start(QUrl(QStringLiteral("org.fedsync.app://callback")));
    if (!ready.wait(2000))
        return {};
    return ready.first().first().toUrl();
}

void TestSignInFlow::authorizationUrlCarriesPkceStateNonce()
{
    const QUrlQuery query(startFlow());
    QCOMPARE(query.queryItemValue(QStringLiteral("client_id")), QStringLiteral("client123"));
    QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    QVERIFY(query.queryItemValue(QStringLiteral("code_challenge")).size() >= 43);
    QVERIFY(!query.queryItemValue(QStringLiteral("state")).isEmpty());
    QVERIFY(!query.queryItemValue(QStringLiteral("nonce")).isEmpty());
}

void TestSignInFlow::ignoresOtherUrlsOfTheScheme()
{
    const QString state = QUrlQuery(startFlow()).queryItemValue(QStringLiteral("state"));
    QSignalSpy failed(m_flow.get(), &SignInFlow::failed);
    QSignalSpy exchanging(m_flow.get(), &SignInFlow::exchanging);
    m_flow->handleRedirect(QUrl(QStringLiteral("org.fedsync.app://logout")));
    m_flow->handleRedirect(QUrl(QStringLiteral("https://evil.example/callback?code=x&state=") + state));
    QTest::qWait(50);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(exchanging.count(), 0);
    QVERIFY(m_flow->isBusy());
    // Its own redirect still goes through afterwards.
    m_flow->handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=abc&state=") + state));
    QCOMPARE(exchanging.count(), 1);
}

void TestSignInFlow::refusesStateMismatch()
{
    startFlow();
    QSignalSpy failed(m_flow.get(), &SignInFlow::failed);
    m_flow->handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=abc&state=someone-elses")));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().value<UserError>().code.contains(QStringLiteral("state")));
    QVERIFY(!m_session->isSignedIn());
}

void TestSignInFlow::cancelledFlowStaysQuiet()
{
    const QString state = QUrlQuery(startFlow()).queryItemValue(QStringLiteral("state"));
    QSignalSpy failed(m_flow.get(), &SignInFlow::failed);
    m_flow->handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=abc&state=") + state));
    m_flow->cancel(); // aborts the hanging token request
    QTest::qWait(100);
    QCOMPARE(failed.count(), 0);
    QVERIFY(!m_flow->isBusy());
    QVERIFY(!m_session->isSignedIn());
}

FEDSYNC_TEST_MAIN(TestSignInFlow)
#include "tst_signinflow.moc"
