// LoopbackReceiver over real loopback sockets: a redirect with the wrong state is answered and ignored
// while listening goes on; connections that send nothing are closed; too many at once are refused; the
// whole wait has a time limit; the browser is sent to the authorization URL through a one-time local
// address.
#include "auth/loopbackreceiver.h"
#include "testmain.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <memory>
#include <vector>

using namespace fedsync;

namespace {
// One raw HTTP/1.1 GET over a real socket; the whole answer (status line, headers, body). Asynchronous:
// the receiver runs on this thread's event loop.
QByteArray get(const QUrl &url, int timeoutMs = 5000)
{
    QTcpSocket socket;
    QByteArray answer;
    QEventLoop loop; // test plumbing only
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&socket, &url] {
        socket.write("GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority) +
                     " HTTP/1.1\r\nHost: " + url.authority().toLatin1() + "\r\n\r\n");
    });
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&socket, &answer] { answer += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    socket.connectToHost(url.host(), quint16(url.port()));
    loop.exec();
    answer += socket.readAll();
    return answer;
}

QUrl callback(const LoopbackReceiver &receiver, const QString &state)
{
    QUrl url = receiver.redirectUri();
    url.setQuery(QStringLiteral("code=abc&state=") + state);
    return url;
}
} // namespace

class TestLoopbackReceiver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wrongStateIsIgnoredAndListeningContinues();
    void startAddressRedirectsOnceToTheAuthorizationUrl();
    void silentConnectionIsClosed();
    void connectionsBeyondTheCapAreRefused();
    void overallTimeLimit();
};

void TestLoopbackReceiver::wrongStateIsIgnoredAndListeningContinues()
{
    LoopbackReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setExpectedState(QStringLiteral("the-real-state"));
    QSignalSpy received(&receiver, &LoopbackReceiver::redirectReceived);
    QSignalSpy stray(&receiver, &LoopbackReceiver::strayRedirectIgnored);

    // Another local process (or a web page) that found the port.
    const QByteArray refused = get(callback(receiver, QStringLiteral("forged")));
    QVERIFY2(refused.startsWith("HTTP/1.1 400"), refused.constData());
    QVERIFY(refused.contains("does not belong to the sign-in"));
    QCOMPARE(stray.count(), 1);
    QCOMPARE(received.count(), 0);
    QVERIFY(receiver.isListening());

    // The real answer still gets through afterwards.
    const QByteArray accepted = get(callback(receiver, QStringLiteral("the-real-state")));
    QVERIFY2(accepted.startsWith("HTTP/1.1 200"), accepted.constData());
    QCOMPARE(received.count(), 1);
    const QUrl url = received.first().first().toUrl();
    QCOMPARE(QUrlQuery(url).queryItemValue(QStringLiteral("state")), QStringLiteral("the-real-state"));
}

void TestLoopbackReceiver::startAddressRedirectsOnceToTheAuthorizationUrl()
{
    LoopbackReceiver receiver;
    QVERIFY(receiver.listen());
    const QUrl authorization(
        QStringLiteral("https://tenant.example/authorize?client_id=c&state=s%2B1&nonce=n&code_challenge=x"));
    const QUrl start = receiver.startUrlFor(authorization);
    QCOMPARE(start.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(start.port(), receiver.redirectUri().port());
    QVERIFY(!start.hasQuery());
    QVERIFY(!start.toString().contains(QStringLiteral("nonce")));

    const QByteArray first = get(start);
    QVERIFY2(first.startsWith("HTTP/1.1 302"), first.constData());
    QVERIFY2(first.contains(QByteArray("Location: " + authorization.toEncoded() + "\r\n")), first.constData());
    const QByteArray again = get(start);
    QVERIFY2(again.startsWith("HTTP/1.1 404"), again.constData());

    // The state of that URL is now the one expected.
    QSignalSpy received(&receiver, &LoopbackReceiver::redirectReceived);
    QVERIFY(get(callback(receiver, QStringLiteral("other"))).startsWith("HTTP/1.1 400"));
    QVERIFY(get(callback(receiver, QStringLiteral("s%2B1"))).startsWith("HTTP/1.1 200"));
    QCOMPARE(received.count(), 1);
}

void TestLoopbackReceiver::silentConnectionIsClosed()
{
    LoopbackReceiver receiver;
    receiver.setConnectionTimeoutMs(300);
    QVERIFY(receiver.listen());
    QTcpSocket idle;
    idle.connectToHost(QStringLiteral("127.0.0.1"), quint16(receiver.redirectUri().port()));
    QVERIFY(idle.waitForConnected(5000));
    QTRY_COMPARE_WITH_TIMEOUT(receiver.openConnections(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(idle.state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(receiver.openConnections(), 0);
}

void TestLoopbackReceiver::connectionsBeyondTheCapAreRefused()
{
    LoopbackReceiver receiver;
    receiver.setMaxConnections(3);
    QVERIFY(receiver.listen());
    receiver.setExpectedState(QStringLiteral("s"));
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 6; ++i) {
        idle.push_back(std::make_unique<QTcpSocket>());
        idle.back()->connectToHost(QStringLiteral("127.0.0.1"), quint16(receiver.redirectUri().port()));
        QVERIFY(idle.back()->waitForConnected(5000));
    }
    const auto closed = [&idle] {
        int count = 0;
        for (auto &socket : idle)
            if (socket->state() != QAbstractSocket::ConnectedState)
                ++count;
        return count;
    };
    QTRY_COMPARE_WITH_TIMEOUT(closed(), 3, 5000);
    QTest::qWait(100);
    QCOMPARE(receiver.openConnections(), 3);
    QCOMPARE(closed(), 3);
    // Once the idle ones are gone, the browser's answer is served.
    idle.clear();
    QTRY_COMPARE(receiver.openConnections(), 0);
    QSignalSpy received(&receiver, &LoopbackReceiver::redirectReceived);
    QVERIFY(get(callback(receiver, QStringLiteral("s"))).startsWith("HTTP/1.1 200"));
    QCOMPARE(received.count(), 1);
}

void TestLoopbackReceiver::overallTimeLimit()
{
    LoopbackReceiver receiver;
    receiver.setTimeLimitMs(300);
    QVERIFY(receiver.listen());
    const QUrl uri = receiver.redirectUri();
    QSignalSpy timedOut(&receiver, &LoopbackReceiver::timedOut);
    QVERIFY(timedOut.wait(5000));
    QVERIFY(!receiver.isListening());
    QTcpSocket late;
    late.connectToHost(uri.host(), quint16(uri.port()));
    QVERIFY(!late.waitForConnected(1000));
}

FEDSYNC_TEST_MAIN(TestLoopbackReceiver)
#include "tst_loopbackreceiver.moc"
