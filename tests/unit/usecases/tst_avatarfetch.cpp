// AvatarFetch: the account view's picture over real HTTP on loopback: the image bytes when they come,
// a refusal without sending for a plain-http remote URL, the size cap, an HTTP error; not in the trace.
// A picture is kept on disk for its Cache-Control lifetime (a later start shows it with no request),
// byte for byte, and not at all with no-store; it is read on a worker thread, and so is what the window
// makes of it (the preparer: decoding, scaling).
#include "auth/httpcachefile.h"
#include "halfanswerserver.h"
#include "net/networkcontext.h"
#include "testmain.h"
#include "trace/flowtrace.h"
#include "usecases/avatarfetch.h"

#include <QDateTime>
#include <QDir>
#include <QNetworkAccessManager>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace fedsync;
using namespace fedsync::test;

namespace {
// A one-shot HTTP server on 127.0.0.1 that answers every request with `status` and `body`.
class TinyServer
{
public:
    TinyServer(int status, QByteArray body, QByteArray cacheControl = {})
    {
        m_server.listen(QHostAddress::LocalHost);
        QObject::connect(
            &m_server, &QTcpServer::newConnection, &m_server, [this, status, body, cacheControl] {
                QTcpSocket *socket = m_server.nextPendingConnection();
                ++m_requests;
                QObject::connect(
                    socket, &QTcpSocket::readyRead, socket, [socket, status, body, cacheControl] {
                        socket->readAll();
                        socket->write("HTTP/1.1 " + QByteArray::number(status) +
                                      " X\r\nContent-Type: image/png\r\nConnection: close\r\n" +
                                      (cacheControl.isEmpty() ? QByteArray()
                                                              : "Cache-Control: " + cacheControl + "\r\n") +
                                      "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n");
                        socket->write(body);
                        socket->disconnectFromHost();
                    });
            });
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/pic.png").arg(m_server.serverPort()));
    }
    int requests() const { return m_requests; }

private:
    QTcpServer m_server;
    int m_requests = 0;
};

// A folder to keep pictures in and the network to fetch them with.
struct KeptPictures
{
    explicit KeptPictures(QNetworkAccessManager *nam)
        : network(nam, &trace)
    {}
    QString path() const { return folder.path(); }
    bool isEmpty() const { return QDir(folder.path()).entryList(QDir::Files).isEmpty(); }

    QTemporaryDir folder;
    FlowTrace trace;
    NetworkContext network;
};
} // namespace

class TestAvatarFetch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fetchesTheImage();
    void refusesPlainHttpElsewhere();
    void capsTheSize();
    void httpErrorFails();
    void destroyedInTheMiddleSaysNothing();
    void deletedByItsListenerPreparesNothing();
    void keepsThePictureForItsLifetime();
    void keepsNothingWithNoStore();
    void cancelledSaysNothingAndKeepsNothing();
    void keptPictureIsReadOffTheWindowThread();
    void picturePreparedOffTheWindowThread();

private:
    QNetworkAccessManager m_nam;
};

void TestAvatarFetch::fetchesTheImage()
{
    const QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, 'p');
    TinyServer server(200, png);
    FlowTrace trace;
    NetworkContext network(&m_nam, &trace);
    AvatarFetch fetch(network);
    QSignalSpy fetched(&fetch, &AvatarFetch::fetched);
    QSignalSpy failed(&fetch, &AvatarFetch::failed);
    fetch.fetch(server.url());
    QVERIFY(fetched.wait(10000));
    QCOMPARE(fetched.first().first().toByteArray(), png);
    QCOMPARE(failed.count(), 0);
    QVERIFY(trace.events().isEmpty()); // not a hop of the federation
}

void TestAvatarFetch::refusesPlainHttpElsewhere()
{
    FlowTrace trace;
    NetworkContext network(&m_nam, &trace);
    AvatarFetch fetch(network);
    QSignalSpy failed(&fetch, &AvatarFetch::failed);
    fetch.fetch(QUrl(QStringLiteral("http://cdn.example.com/pic.png")));
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.first().first().value<UserError>().isError());
}

void TestAvatarFetch::capsTheSize()
{
    TinyServer server(200, QByteArray(AvatarFetch::MaxBytes + 1024, 'x'));
    FlowTrace trace;
    NetworkContext network(&m_nam, &trace);
    AvatarFetch fetch(network);
    QSignalSpy fetched(&fetch, &AvatarFetch::fetched);
    QSignalSpy failed(&fetch, &AvatarFetch::failed);
    fetch.fetch(server.url());
    QVERIFY(failed.wait(20000));
    QCOMPARE(failed.first().first().value<UserError>().code, QStringLiteral("net.too_large"));
    QCOMPARE(fetched.count(), 0);
}

void TestAvatarFetch::httpErrorFails()
{
    TinyServer server(404, "not here");
    FlowTrace trace;
    NetworkContext network(&m_nam, &trace);
    AvatarFetch fetch(network);
    QSignalSpy fetched(&fetch, &AvatarFetch::fetched);
    QSignalSpy failed(&fetch, &AvatarFetch::failed);
    fetch.fetch(server.url());
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().value<UserError>().why.contains(QStringLiteral("404")));
    QCOMPARE(fetched.count(), 0);
    QCOMPARE(server.requests(), 1);
}

void TestAvatarFetch::destroyedInTheMiddleSaysNothing()
{
    // The main window goes (the user quits) while the picture is still coming: the fetch is dropped
    // without a word. Emitting from the destructor reached the half-destroyed window (a crash in CI).
    HalfAnswerServer server;
    QVERIFY(server.isListening());
    FlowTrace trace;
    NetworkContext network(&m_nam, &trace);
    auto fetch = std::make_unique<AvatarFetch>(network);
    int heard = 0;
    connect(fetch.get(), &AvatarFetch::fetched, this, [&heard] { ++heard; });
    connect(fetch.get(), &AvatarFetch::failed, this, [&heard] { ++heard; });
    fetch->fetch(server.url());
    QTRY_VERIFY_WITH_TIMEOUT(server.halfSent(), 5000);
    QTest::qWait(300);
    fetch.reset();
    QTest::qWait(100);
    QCOMPARE(heard, 0);
}

// A window that drops the fetcher as soon as it has the picture (deleting it in the slot, not later): the
// fetcher must not touch itself afterwards, nor prepare the picture for nobody. Without the guard in
// AvatarFetch::deliver this reads freed memory, which a plain build does not show: run it under valgrind
// (memcheck reports "Invalid read" in deliver()) or in a FEDSYNC_SANITIZE build.
void TestAvatarFetch::deletedByItsListenerPreparesNothing()
{
    const QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, 'p');
    TinyServer server(200, png);
    FlowTrace trace;
    NetworkContext network(&m_nam, &trace);
    auto *fetch = new AvatarFetch(network);
    int prepared = 0;
    fetch->setPreparer([&prepared](const QByteArray &) {
        ++prepared;
        return QVariant();
    });
    bool heard = false;
    connect(fetch, &AvatarFetch::fetched, this, [&heard, fetch] {
        heard = true;
        delete fetch;
    });
    fetch->fetch(server.url());
    QTRY_VERIFY_WITH_TIMEOUT(heard, 10000);
    QTest::qWait(100);
    QCOMPARE(prepared, 0);
}

// What the next start sees: a new AvatarFetch on the same folder shows the kept picture without a request;
// the bytes are the server's exactly (a PNG: NUL and non-UTF-8 bytes); another URL is fetched.
void TestAvatarFetch::keepsThePictureForItsLifetime()
{
    KeptPictures kept(&m_nam);
    QVERIFY(kept.folder.isValid());
    QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8);
    for (int i = 0; i < 256; ++i)
        png += char(i);
    TinyServer server(200, png, "public, max-age=3600");
    for (int start = 0; start < 2; ++start) {
        AvatarFetch fetch(kept.network, kept.path());
        QSignalSpy fetched(&fetch, &AvatarFetch::fetched);
        fetch.fetch(server.url());
        QCOMPARE(fetched.count(), 0); // after fetch() returns, from the disk too
        QVERIFY(fetched.wait(10000));
        QCOMPARE(fetched.first().first().toByteArray(), png);
    }
    QCOMPARE(server.requests(), 1);
    const QFileInfoList files = QDir(kept.path()).entryInfoList(QDir::Files);
    QCOMPARE(files.size(), 1);
    QCOMPARE(files.first().permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());

    TinyServer other(200, "other picture", "max-age=3600");
    AvatarFetch fetch(kept.network, kept.path());
    QSignalSpy fetched(&fetch, &AvatarFetch::fetched);
    fetch.fetch(other.url());
    QVERIFY(fetched.wait(10000));
    QCOMPARE(fetched.first().first().toByteArray(), QByteArray("other picture"));
    QCOMPARE(other.requests(), 1);
}

void TestAvatarFetch::keepsNothingWithNoStore()
{
    KeptPictures kept(&m_nam);
    QVERIFY(kept.folder.isValid());
    TinyServer server(200, "picture", "no-store");
    for (int start = 0; start < 2; ++start) {
        AvatarFetch fetch(kept.network, kept.path());
        QSignalSpy fetched(&fetch, &AvatarFetch::fetched);
        fetch.fetch(server.url());
        QVERIFY(fetched.wait(10000));
    }
    QCOMPARE(server.requests(), 2);
    QVERIFY(kept.isEmpty());
}

// A sign-out cancels the fetch: a picture still coming is neither shown nor kept, one being read from the
// disk is not shown.
void TestAvatarFetch::cancelledSaysNothingAndKeepsNothing()
{
    KeptPictures kept(&m_nam);
    QVERIFY(kept.folder.isValid());
    AvatarFetch fetch(kept.network, kept.path());
    int heard = 0;
    connect(&fetch, &AvatarFetch::fetched, this, [&heard] { ++heard; });
    connect(&fetch, &AvatarFetch::failed, this, [&heard] { ++heard; });
    HalfAnswerServer coming;
    QVERIFY(coming.isListening());
    fetch.fetch(coming.url());
    QTRY_VERIFY_WITH_TIMEOUT(coming.halfSent(), 5000); // the request is out, half the picture back
    fetch.cancel();
    QTest::qWait(300);
    QCOMPARE(heard, 0);
    QVERIFY(kept.isEmpty());

    TinyServer server(200, "picture", "max-age=3600");
    AvatarFetch filler(kept.network, kept.path());
    QSignalSpy filled(&filler, &AvatarFetch::fetched);
    filler.fetch(server.url());
    QVERIFY(filled.wait(10000));
    fetch.fetch(server.url()); // from the disk now
    fetch.cancel();
    QTest::qWait(100);
    QCOMPARE(heard, 0);
}

// The kept copy (up to a megabyte of base64 in JSON) is read on a worker thread, not on the window's: the
// kept file here is a FIFO whose open() waits for a writer, so a read on the calling thread would hang
// fetch() itself (a watchdog then opens the FIFO after 5 s so the test ends, and says so). fetch()
// returns, and the picture comes once the test writes the file's content.
void TestAvatarFetch::keptPictureIsReadOffTheWindowThread()
{
    KeptPictures kept(&m_nam);
    QVERIFY(kept.folder.isValid());
    const QUrl url(QStringLiteral("https://pictures.example/u.png"));
    const QString path =
        HttpCacheFile(kept.path(), QStringLiteral("picture\n") + url.toString(QUrl::FullyEncoded)).path();
    QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);

    std::atomic<bool> returned = false;
    std::atomic<bool> stuck = false;
    std::thread watchdog([&] {
        for (int i = 0; i < 50 && !returned; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (!returned) {
            stuck = true;
            QFile(path).open(QIODevice::WriteOnly); // meets the stuck open(), then closes: an empty file
        }
    });
    AvatarFetch fetch(kept.network, kept.path());
    // Should a check below fail before the test writes, the worker's open() is met on the way out (never
    // blocking: with no reader waiting, the open fails), so the fetcher's destructor does not wait forever.
    const auto release = qScopeGuard([&path] {
        if (const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_NONBLOCK); fd >= 0)
            ::close(fd);
    });
    QSignalSpy fetched(&fetch, &AvatarFetch::fetched);
    fetch.fetch(url);
    returned = true;
    watchdog.join();
    QVERIFY2(!stuck, "fetch() read the kept picture on the calling thread");
    QCOMPARE(fetched.count(), 0);

    QFile writer(path);
    QVERIFY(writer.open(QIODevice::WriteOnly)); // meets the worker's open()
    const QByteArray picture("\x89PNG kept", 10);
    // Kept a second ago: the worker took its "now" before its open() waited for this writer (up to the
    // watchdog's 100 ms earlier), and a copy fetched after that "now" is refused as from the future. Written
    // with the current second, the test failed whenever a second began in between (1 run in 20 or so).
    writer.write(R"({"fetched":)" + QByteArray::number(QDateTime::currentSecsSinceEpoch() - 1) +
                 R"(,"max_age":3600,"body64":")" + picture.toBase64() + R"("})");
    writer.close();
    QVERIFY(fetched.wait(10000));
    QCOMPARE(fetched.first().first().toByteArray(), picture);
}

// The window's preparer (decoding and scaling the image) runs on the worker for a large picture, never
// on the calling thread, and its result comes with prepared() after fetched(); a fetch cancelled
// meanwhile prepares nothing. A small picture is prepared at once, right after fetched().
void TestAvatarFetch::picturePreparedOffTheWindowThread()
{
    const QByteArray large = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(BackgroundWork::LargeBytes, 'p');
    TinyServer server(200, large);
    FlowTrace trace;
    NetworkContext network(&m_nam, &trace);
    AvatarFetch fetch(network);
    std::atomic<QThread *> ranOn = nullptr;
    fetch.setPreparer([&ranOn](const QByteArray &image) {
        ranOn = QThread::currentThread();
        return QVariant(image.size());
    });
    QSignalSpy fetched(&fetch, &AvatarFetch::fetched);
    QSignalSpy prepared(&fetch, &AvatarFetch::prepared);
    fetch.fetch(server.url());
    QVERIFY(prepared.wait(10000));
    QCOMPARE(fetched.count(), 1);
    QCOMPARE(prepared.first().first().value<QVariant>().toInt(), large.size());
    QVERIFY(ranOn.load() != nullptr);
    QVERIFY2(ranOn.load() != QThread::currentThread(), "a large picture was prepared on the window's thread");

    // Cancelled between the bytes and their preparation: nothing comes.
    TinyServer again(200, large);
    connect(&fetch, &AvatarFetch::fetched, &fetch, [&fetch] { fetch.cancel(); }, Qt::SingleShotConnection);
    fetch.fetch(again.url());
    QVERIFY(fetched.wait(10000));
    QTest::qWait(200); // what a prepared() would need to arrive
    QCOMPARE(prepared.count(), 1);

    // A small picture: prepared at once, on this thread, in the same turn as fetched().
    const QByteArray small = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, 'p');
    TinyServer third(200, small);
    ranOn = nullptr;
    qsizetype preparedWhenFetched = -1;
    connect(&fetch, &AvatarFetch::fetched, &fetch, [&] { preparedWhenFetched = prepared.count(); },
            Qt::SingleShotConnection);
    fetch.fetch(third.url());
    QVERIFY(prepared.wait(10000));
    QCOMPARE(preparedWhenFetched, 1); // fetched() came first, prepared() right after it
    QCOMPARE(prepared.last().first().value<QVariant>().toInt(), small.size());
    QCOMPARE(ranOn.load(), QThread::currentThread());
}

FEDSYNC_TEST_MAIN(TestAvatarFetch)
#include "tst_avatarfetch.moc"
