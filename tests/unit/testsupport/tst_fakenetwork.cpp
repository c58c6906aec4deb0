// The fake network layer that unit tests rely on: answer, answer late, fail, hang until aborted.
#include "fakenetwork.h"
#include "testmain.h"

#include <QElapsedTimer>
#include <QSignalSpy>

using namespace fedsync::test;

class TestFakeNetwork : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answersWithStatusHeadersAndBody();
    void answersLate();
    void failsWithNetworkError();
    void hangsUntilAborted();
    void recordsRequestBodies();
};

void TestFakeNetwork::answersWithStatusHeadersAndBody()
{
    FakeNetworkAccessManager nam;
    nam.enqueue(FakeResponse::json(404, R"({"error":"nope"})"));
    QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(QStringLiteral("https://example.test/x"))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(1000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
    QCOMPARE(reply->rawHeader("Content-Type"), QByteArrayLiteral("application/json"));
    QCOMPARE(reply->readAll(), QByteArrayLiteral(R"({"error":"nope"})"));
    QVERIFY(reply->error() != QNetworkReply::NoError);
}

void TestFakeNetwork::answersLate()
{
    FakeNetworkAccessManager nam;
    nam.enqueue(FakeResponse::json(200, "{}", 300));
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(QStringLiteral("https://example.test/"))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(3000));
    QVERIFY(timer.elapsed() >= 250);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
}

void TestFakeNetwork::failsWithNetworkError()
{
    FakeNetworkAccessManager nam;
    nam.enqueue(FakeResponse::fail(QNetworkReply::HostNotFoundError));
    QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(QStringLiteral("https://example.test/"))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(1000));
    QCOMPARE(reply->error(), QNetworkReply::HostNotFoundError);
}

void TestFakeNetwork::hangsUntilAborted()
{
    FakeNetworkAccessManager nam;
    nam.enqueue(FakeResponse::hang());
    QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(QStringLiteral("https://example.test/"))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(!finished.wait(200));
    reply->abort();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
}

void TestFakeNetwork::recordsRequestBodies()
{
    FakeNetworkAccessManager nam;
    nam.setHandler([](const RecordedRequest &r) {
        return FakeResponse::json(200, r.verb + ' ' + r.body);
    });
    QNetworkRequest request(QUrl(QStringLiteral("https://example.test/post")));
    QNetworkReply *reply = nam.post(request, QByteArrayLiteral("a=1"));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(1000));
    QCOMPARE(reply->readAll(), QByteArrayLiteral("POST a=1"));
    QCOMPARE(nam.requests().size(), 1);
    QCOMPARE(nam.requests().first().body, QByteArrayLiteral("a=1"));
}

FEDSYNC_TEST_MAIN(TestFakeNetwork)
#include "tst_fakenetwork.moc"
