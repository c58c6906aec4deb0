// SystemBrowserSignIn (the system-browser sign-in both the window and fedsync-cli login run), with the
// identity provider on the fake network and the browser's answer over real HTTP on loopback: the page
// address handed to the browser, one error code for a sign-in not completed in time, the provider's
// refusal passed on, and a cancel that stays quiet.
#include "fakesignin.h"
#include "testmain.h"
#include "usecases/systembrowsersignin.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QUrlQuery>

using namespace fedsync;
using namespace fedsync::test;

class TestSystemBrowserSignIn : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void pageAddressKeepsTheAuthorizationUrlOffCommandLines();
    void notCompletedInTime();
    void providerRefusalIsPassedOn();
    void cancelStaysQuiet();

private:
    std::unique_ptr<FakeSignIn> m_fake;
    std::unique_ptr<SystemBrowserSignIn> m_signIn;
};

void TestSystemBrowserSignIn::init()
{
    m_fake = std::make_unique<FakeSignIn>();
    m_signIn = std::make_unique<SystemBrowserSignIn>(m_fake->flow.get());
}

void TestSystemBrowserSignIn::cleanup()
{
    m_signIn.reset();
    m_fake.reset();
}

void TestSystemBrowserSignIn::pageAddressKeepsTheAuthorizationUrlOffCommandLines()
{
    QSignalSpy ready(m_signIn.get(), &SystemBrowserSignIn::pageReady);
    QVERIFY(m_signIn->pageAddress().isEmpty());
    m_signIn->start();
    QVERIFY(ready.wait(5000));
    const QUrl start = ready.first().at(0).toUrl();
    const QUrl authorization = ready.first().at(1).toUrl();
    QCOMPARE(start.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(!start.hasQuery());
    QCOMPARE(authorization.host(), QStringLiteral("tenant.example"));
    const QUrl redirect(
        QUrlQuery(authorization).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
    QCOMPARE(redirect.scheme(), QStringLiteral("http"));
    QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(redirect.path(), QStringLiteral("/callback"));
    QCOMPARE(redirect.port(), start.port());
    // "Open the page again": a new one-time address each time.
    const QUrl again = m_signIn->pageAddress();
    QCOMPARE(again.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(again != start);
}

void TestSystemBrowserSignIn::notCompletedInTime()
{
    m_signIn->setTimeLimitMs(300);
    QSignalSpy failed(m_signIn.get(), &SystemBrowserSignIn::failed);
    QSignalSpy succeeded(m_signIn.get(), &SystemBrowserSignIn::succeeded);
    m_signIn->start();
    QVERIFY(failed.wait(5000));
    const UserError error = failed.first().first().value<UserError>();
    QCOMPARE(error.code, SystemBrowserSignIn::TimedOut);
    QVERIFY(!error.what.isEmpty() && !error.action.isEmpty());
    QTest::qWait(100);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(succeeded.count(), 0);
    QVERIFY(!m_fake->flow->isBusy());
}

void TestSystemBrowserSignIn::providerRefusalIsPassedOn()
{
    QSignalSpy ready(m_signIn.get(), &SystemBrowserSignIn::pageReady);
    QSignalSpy failed(m_signIn.get(), &SystemBrowserSignIn::failed);
    m_signIn->start();
    QVERIFY(ready.wait(5000));
    const QUrlQuery authorization(ready.first().at(1).toUrl());
    QUrl redirect(authorization.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
    redirect.setQuery(QStringLiteral("error=access_denied&error_description=no&state=%1")
                          .arg(authorization.queryItemValue(QStringLiteral("state"))));
    QNetworkAccessManager browser; // the user's browser, over real loopback HTTP
    QNetworkReply *reply = browser.get(QNetworkRequest(redirect));
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.first().first().value<UserError>().isError());
    QVERIFY(failed.first().first().value<UserError>().code != SystemBrowserSignIn::TimedOut);
    reply->deleteLater();
}

void TestSystemBrowserSignIn::cancelStaysQuiet()
{
    m_signIn->setTimeLimitMs(300);
    QSignalSpy ready(m_signIn.get(), &SystemBrowserSignIn::pageReady);
    QSignalSpy failed(m_signIn.get(), &SystemBrowserSignIn::failed);
    m_signIn->start();
    QVERIFY(ready.wait(5000));
    m_signIn->cancel();
    QTest::qWait(600); // past the time limit
    QCOMPARE(failed.count(), 0);
}

FEDSYNC_TEST_MAIN(TestSystemBrowserSignIn)
#include "tst_systembrowsersignin.moc"
