// HttpJob and the URL policy: https only (loopback aside), timeouts, abort, one trace event per hop.
#include "fakenetwork.h"
#include "halfanswerserver.h"
#include "net/httpjob.h"
#include "net/networkcontext.h"
#include "procstatus.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTimer>

#include <memory>
#include <optional>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace fedsync;
using namespace fedsync::test;

class TestHttpJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void urlPolicy_data();
    void urlPolicy();
    void answersAndRecordsTrace();
    void refusesInsecureUrlWithoutSending();
    void timesOut();
    void abortFinishesOnce();
    void abortInTheMiddleOfTheBodyIsNoAnswer();
    void realTimeoutIsQuiet();
    void plainHttpToAClosingServerSuggestsHttps();
    void caFileErrorsAreClear();
    void capsReplyBodies_data();
    void capsReplyBodies();
    void readingCostsTheBodyNotTheLimit();
    void connectionsSendWithoutNaglesDelay();
};

void TestHttpJob::urlPolicy_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << QStringLiteral("https://tenant.auth0.com/oauth/token") << true;
    QTest::newRow("http loopback v4") << QStringLiteral("http://127.0.0.1:8080/callback") << true;
    QTest::newRow("http loopback 127.x") << QStringLiteral("http://127.0.0.2/") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:3000/") << true;
    QTest::newRow("http loopback v6") << QStringLiteral("http://[::1]:3000/") << true;
    QTest::newRow("http remote") << QStringLiteral("http://tenant.auth0.com/") << false;
    QTest::newRow("http private range") << QStringLiteral("http://192.168.1.10/") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/") << false;
    QTest::newRow("no host") << QStringLiteral("https:///path") << false;
}

void TestHttpJob::urlPolicy()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    const UserError error = NetworkContext::checkUrlAllowed(QUrl(url));
    QCOMPARE(!error.isError(), allowed);
    if (!allowed)
        QVERIFY(!error.action.isEmpty());
}

void TestHttpJob::answersAndRecordsTrace()
{
    FakeNetworkAccessManager nam;
    nam.enqueue(FakeResponse::json(200, R"({"ok":true})"));
    FlowTrace trace;
    NetworkContext context(&nam, &trace);
    HttpJob job(context, HttpRequest{QByteArrayLiteral("POST"),
                                     QUrl(QStringLiteral("https://a.example/op?secret=1")),
                                     {{"Content-Type", "application/json"}},
                                     QByteArrayLiteral("{}"),
                                     QStringLiteral("svc"),
                                     QStringLiteral("Op"),
                                     QStringLiteral("summary"),
                                     0});
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QVERIFY(finished.wait(2000));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(job.response().status, 200);
    QCOMPARE(job.response().body, QByteArrayLiteral(R"({"ok":true})"));
    QCOMPARE(nam.requests().first().verb, QByteArrayLiteral("POST"));
    QCOMPARE(nam.requests().first().request.rawHeader("Content-Type"), QByteArrayLiteral("application/json"));
    QCOMPARE(trace.events().size(), 1);
    const TraceEvent &event = trace.events().first();
    QCOMPARE(event.service, QStringLiteral("svc"));
    QCOMPARE(event.operation, QStringLiteral("Op"));
    QCOMPARE(event.httpStatus, 200);
    QVERIFY(event.ok);
    QCOMPARE(event.url.toString(), QStringLiteral("https://a.example/op")); // query dropped
    QCOMPARE(event.sequence, 1);
}

void TestHttpJob::refusesInsecureUrlWithoutSending()
{
    FakeNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context(&nam, &trace);
    HttpJob job(context, HttpRequest{QByteArrayLiteral("GET"),
                                     QUrl(QStringLiteral("http://tenant.auth0.com/x")),
                                     {},
                                     {},
                                     QStringLiteral("auth0"),
                                     QStringLiteral("discovery"),
                                     {},
                                     0});
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QVERIFY(finished.wait(1000));
    QVERIFY(nam.requests().isEmpty());
    QCOMPARE(job.refusal().code, QStringLiteral("net.url.insecure"));
    QCOMPARE(trace.events().first().error, QStringLiteral("net.url.insecure"));
}

void TestHttpJob::timesOut()
{
    FakeNetworkAccessManager nam;
    nam.enqueue(FakeResponse::hang());
    NetworkContext context(&nam, nullptr);
    HttpRequest request;
    request.url = QUrl(QStringLiteral("https://slow.example/"));
    request.timeoutMs = 150;
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QVERIFY(finished.wait(3000));
    QVERIFY(job.response().timedOut);
    QVERIFY(job.response().isTransportFailure());
    QCOMPARE(job.response().transportError(request.url).code, QStringLiteral("net.timeout"));
}

void TestHttpJob::abortFinishesOnce()
{
    FakeNetworkAccessManager nam;
    nam.enqueue(FakeResponse::hang());
    NetworkContext context(&nam, nullptr);
    HttpRequest request;
    request.url = QUrl(QStringLiteral("https://slow.example/"));
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    job.abort();
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(job.response().aborted);
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
}

void TestHttpJob::abortInTheMiddleOfTheBodyIsNoAnswer()
{
    // The status line and half the body have come when the job is aborted (a cancel, a window closed):
    // that is not a "200" with half a body, it is a cancelled exchange.
    HalfAnswerServer server;
    QVERIFY(server.isListening());
    QNetworkAccessManager nam;
    NetworkContext context(&nam, nullptr);
    HttpRequest request;
    request.url = server.url();
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(server.halfSent(), 5000);
    QTest::qWait(300); // the client reads the status line and the first half
    QCOMPARE(finished.count(), 0);
    job.abort();
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(job.response().isTransportFailure());
    QCOMPARE(job.response().transportError(request.url).code, QStringLiteral("net.cancelled"));
}

void TestHttpJob::realTimeoutIsQuiet()
{
    // A real socket that never answers: the timeout aborts the reply, and nothing reads the closed reply
    // (Qt would print "QIODevice::read: device not open").
    QTest::failOnWarning(QRegularExpression(QStringLiteral("device not open")));
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QNetworkAccessManager nam;
    NetworkContext context(&nam, nullptr);
    HttpRequest request;
    request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(silent.serverPort()));
    request.timeoutMs = 200;
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(job.response().transportError(request.url).code, QStringLiteral("net.timeout"));
}

void TestHttpJob::plainHttpToAClosingServerSuggestsHttps()
{
    // http:// to a server that hangs up (as a TLS-only port does): the advice names https://.
    QTcpServer closing;
    QVERIFY(closing.listen(QHostAddress::LocalHost));
    connect(&closing, &QTcpServer::newConnection, &closing, [&closing] {
        while (QTcpSocket *socket = closing.nextPendingConnection()) {
            socket->readAll();
            socket->close();
            socket->deleteLater();
        }
    });
    QNetworkAccessManager nam;
    NetworkContext context(&nam, nullptr);
    HttpRequest request;
    request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(closing.serverPort()));
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QVERIFY(finished.wait(5000));
    const UserError error = job.response().transportError(request.url);
    QCOMPARE(error.code, QStringLiteral("net.closed"));
    QVERIFY2(error.action.contains(QStringLiteral("https://")), qPrintable(error.text()));
}

void TestHttpJob::caFileErrorsAreClear()
{
    FakeNetworkAccessManager nam;
    NetworkContext context(&nam, nullptr);
    QCOMPARE(
        context.addCaCertificates(QStringLiteral("/nonexistent/ca.pem"), {QStringLiteral("a.example")}).code,
        QStringLiteral("net.cafile.unreadable"));
    QTemporaryFile notPem;
    QVERIFY(notPem.open());
    notPem.write("hello");
    notPem.close();
    const int before = int(context.sslConfiguration().caCertificates().size());
    QCOMPARE(context.addCaCertificates(notPem.fileName(), {QStringLiteral("a.example")}).code,
             QStringLiteral("net.cafile.empty"));
    QCOMPARE(int(context.sslConfiguration().caCertificates().size()), before);
}

void TestHttpJob::capsReplyBodies_data()
{
    QTest::addColumn<int>("bodyBytes");
    QTest::addColumn<bool>("declareLength");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("under the cap") << 60000 << false << true;
    QTest::newRow("exactly the cap") << 65536 << true << true;
    QTest::newRow("streamed past the cap") << 3 * 1024 * 1024 << false << false;
    QTest::newRow("declared past the cap") << 3 * 1024 * 1024 << true << false;
}

// A real loopback server sends a body of the given size; past the context's cap the job ends with a clear
// error and keeps none of it.
void TestHttpJob::capsReplyBodies()
{
    QFETCH(int, bodyBytes);
    QFETCH(bool, declareLength);
    QFETCH(bool, accepted);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::newConnection, &server, [&server, bodyBytes, declareLength] {
        QTcpSocket *socket = server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket, bodyBytes, declareLength] {
            socket->readAll();
            QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n";
            if (declareLength)
                head += "Content-Length: " + QByteArray::number(bodyBytes) + "\r\n";
            socket->write(head + "\r\n");
            socket->write(QByteArray(bodyBytes, 'x'));
            socket->disconnectFromHost();
        });
    });
    QNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context(&nam, &trace);
    context.setMaxResponseBytes(65536);
    HttpRequest request;
    request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/big").arg(server.serverPort()));
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.count(), 1);
    if (accepted) {
        QCOMPARE(job.response().status, 200);
        QCOMPARE(job.response().body.size(), bodyBytes);
        return;
    }
    QVERIFY(job.response().tooLarge);
    QVERIFY(job.response().isTransportFailure());
    QVERIFY(job.response().body.isEmpty());
    const UserError error = job.response().transportError(request.url);
    QCOMPARE(error.code, QStringLiteral("net.too_large"));
    QVERIFY2(error.why.contains(QStringLiteral("64 KB")), qPrintable(error.why));
    QVERIFY(!error.action.isEmpty());
}

namespace {
// The process's peak address space (VmPeak), in MiB: what the largest allocation so far made it.
double vmPeakMiB()
{
    return fedsync::test::procStatusMiB(QStringLiteral("self"), "VmPeak");
}
} // namespace

// A body that arrives in pieces costs memory in proportion to the body, not to the limit: with a limit of
// 512 MiB, a 2 MiB body sent in 64 KB pieces over real loopback HTTP is read whole and exact, and the
// process's address space never grew by anything near the limit (reading each piece with
// QIODevice::read(limit) allocated the limit at every piece: 16 MiB by default, 512 MiB here).
void TestHttpJob::readingCostsTheBodyNotTheLimit()
{
    if (vmPeakMiB() < 0)
        QSKIP("No /proc/self/status here");
    constexpr int pieces = 32;
    constexpr int pieceBytes = 64 * 1024;
    QByteArray body;
    for (int i = 0; i < pieces; ++i)
        body += QByteArray(pieceBytes, char('a' + i % 26));
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::newConnection, &server, [&server, body] {
        QTcpSocket *socket = server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket, body] {
            socket->readAll();
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
            auto *timer = new QTimer(socket);
            auto sent = std::make_shared<int>(0);
            connect(timer, &QTimer::timeout, socket, [socket, body, timer, sent] {
                socket->write(body.mid(qsizetype(*sent) * pieceBytes, pieceBytes));
                socket->flush();
                if (++*sent == pieces) {
                    timer->stop();
                    socket->disconnectFromHost();
                }
            });
            timer->start(2);
        });
    });
    QNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context(&nam, &trace);
    context.setMaxResponseBytes(qint64(512) * 1024 * 1024);
    HttpRequest request;
    request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/pieces").arg(server.serverPort()));
    {
        // A first exchange, with a limit of its own just over the body, starts Qt's HTTP thread (its
        // stack and malloc arena are address space too).
        HttpRequest small = request;
        small.maxResponseBytes = body.size() + 1;
        HttpJob warmUp(context, small);
        QSignalSpy finished(&warmUp, &HttpJob::finished);
        warmUp.start();
        QVERIFY(finished.wait(20000));
    }
    const double before = vmPeakMiB();
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QVERIFY(finished.wait(20000));
    QCOMPARE(job.response().status, 200);
    QCOMPARE(job.response().body.size(), body.size());
    QVERIFY(job.response().body == body);
    const double grown = vmPeakMiB() - before;
    QVERIFY2(grown < 128, qPrintable(QStringLiteral("the address space grew by %1 MiB").arg(grown)));
}

namespace {
// Whether the TCP socket of this process bound to local `port` has Nagle's algorithm off; nullopt when no
// such socket is open.
std::optional<bool> noDelayOfLocalPort(quint16 port)
{
    QList<int> fds;
    if (DIR *listing = ::opendir("/proc/self/fd")) {
        while (const dirent *entry = ::readdir(listing))
            if (entry->d_name[0] != '.')
                fds << QByteArray(entry->d_name).toInt();
        ::closedir(listing);
    }
    for (const int fd : fds) {
        sockaddr_storage address{};
        socklen_t length = sizeof(address);
        if (::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0 ||
            address.ss_family != AF_INET)
            continue;
        if (ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port) != port)
            continue;
        int noDelay = 0;
        length = sizeof(noDelay);
        if (::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, &length) == 0)
            return noDelay != 0;
    }
    return std::nullopt;
}
} // namespace

// Qt's HTTP client leaves Nagle's algorithm on and writes a body 16 KB at a time, so an upload waited for
// the server's delayed acknowledgement after its first 16 KB (40 ms per request on loopback). The connection
// an HttpJob opens has TCP_NODELAY: read from the client's own socket, kept open by the server.
void TestHttpJob::connectionsSendWithoutNaglesDelay()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    quint16 clientPort = 0;
    connect(&server, &QTcpServer::newConnection, &server, [&server, &clientPort] {
        QTcpSocket *socket = server.nextPendingConnection();
        clientPort = socket->peerPort();
        auto received = std::make_shared<qsizetype>(0);
        connect(socket, &QTcpSocket::readyRead, socket, [socket, received] {
            *received += socket->readAll().size();
            if (*received >= 64 * 1024) // the whole body: answered, and the connection kept for the next
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        });
    });
    QNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context(&nam, &trace);
    HttpRequest request;
    request.method = QByteArrayLiteral("POST");
    request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/upload").arg(server.serverPort()));
    request.body = QByteArray(64 * 1024, 'u');
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    QVERIFY(finished.wait(20000));
    QCOMPARE(job.response().status, 200);
    QVERIFY(clientPort != 0);
    const std::optional<bool> noDelay = noDelayOfLocalPort(clientPort); // the connection is kept alive
    QVERIFY2(noDelay.has_value(), "the client's connection is not open");
    QVERIFY2(*noDelay, "the client's connection has Nagle's algorithm on");
}

FEDSYNC_TEST_MAIN(TestHttpJob)
#include "tst_httpjob.moc"
