// SignInFlow's handling of what comes back from the browser, on the fake network: only its own redirect
// counts, a state mismatch is refused, and a cancelled sign-in stays quiet.
#include "fakesignin.h"
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
    void refusedExchangeSpeaksOfThisSignIn_data();
    void refusedExchangeSpeaksOfThisSignIn();

private:
    QUrl startFlow();

    std::unique_ptr<FakeSignIn> m_signIn;
    SignInFlow *m_flow = nullptr;
};

void TestSignInFlow::init()
{
    m_signIn = std::make_unique<FakeSignIn>();
    m_flow = m_signIn->flow.get();
}

void TestSignInFlow::cleanup()
{
    m_flow = nullptr;
    m_signIn.reset();
}

QUrl TestSignInFlow::startFlow()
{
    QSignalSpy ready(m_flow, &SignInFlow::authorizationUrlReady);
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
    QSignalSpy failed(m_flow, &SignInFlow::failed);
    QSignalSpy exchanging(m_flow, &SignInFlow::exchanging);
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
    QSignalSpy failed(m_flow, &SignInFlow::failed);
    m_flow->handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=abc&state=someone-elses")));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().value<UserError>().code.contains(QStringLiteral("state")));
    QVERIFY(!m_signIn->session->isSignedIn());
}

void TestSignInFlow::cancelledFlowStaysQuiet()
{
    const QString state = QUrlQuery(startFlow()).queryItemValue(QStringLiteral("state"));
    QSignalSpy failed(m_flow, &SignInFlow::failed);
    m_flow->handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=abc&state=") + state));
    m_flow->cancel(); // aborts the hanging token request
    QTest::qWait(100);
    QCOMPARE(failed.count(), 0);
    QVERIFY(!m_flow->isBusy());
    QVERIFY(!m_signIn->session->isSignedIn());
}

void TestSignInFlow::refusedExchangeSpeaksOfThisSignIn_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::newRow("provider down") << 503 << QByteArray("{}") << QStringLiteral("oidc.token.unavailable");
    QTest::newRow("unreadable answer") << 200 << QByteArray("<html>oops") << QStringLiteral("oidc.token.malformed");
}

// A first sign-in whose code exchange fails has no saved sign-in to keep: the error says what became of
// this one (the same texts speak of a kept sign-in when a refresh fails).
void TestSignInFlow::refusedExchangeSpeaksOfThisSignIn()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    const QString state = QUrlQuery(startFlow()).queryItemValue(QStringLiteral("state"));
    m_signIn->nam.setHandler([status, body](const RecordedRequest &r) {
        if (r.request.url().path().endsWith(QStringLiteral("/oauth/token")))
            return FakeResponse::json(status, body);
        return FakeResponse::hang();
    });
    QSignalSpy failed(m_flow, &SignInFlow::failed);
    m_flow->handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=abc&state=") + state));
    QVERIFY(failed.wait(5000));
    const UserError error = failed.first().first().value<UserError>();
    QCOMPARE(error.code, code);
    QVERIFY2(!error.text().contains(QStringLiteral("saved sign-in")), qPrintable(error.text()));
    QVERIFY2(error.why.contains(QStringLiteral("Nothing was stored")), qPrintable(error.text()));
    QVERIFY(!m_signIn->session->isSignedIn());
}

FEDSYNC_TEST_MAIN(TestSignInFlow)
#include "tst_signinflow.moc"
