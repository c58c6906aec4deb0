// A fake network layer for unit tests: a QNetworkAccessManager whose replies come from a handler the test
// provides. A reply can answer (status, headers, body), answer late, fail with a network error, or hang
// until aborted. Every request is recorded. Whole flows use the real sandbox instead.
#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

#include <functional>

namespace fedsync::test {

struct FakeResponse
{
    enum class Kind { Answer, Fail, Hang };
    Kind kind = Kind::Answer;
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int delayMs = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    static FakeResponse json(int status, const QByteArray &body, int delayMs = 0);
    static FakeResponse fail(QNetworkReply::NetworkError error, int delayMs = 0);
    static FakeResponse hang();
};

struct RecordedRequest
{
    QNetworkAccessManager::Operation operation;
    QByteArray verb;
    QNetworkRequest request;
    QByteArray body;
};

// The request's path and query as they were sent (percent-encoded).
QByteArray rawPath(const RecordedRequest &request);
QUrlQuery sentQuery(const RecordedRequest &request);

class FakeNetworkAccessManager final : public QNetworkAccessManager
{
    Q_OBJECT
public:
    using Handler = std::function<FakeResponse(const RecordedRequest &)>;

    explicit FakeNetworkAccessManager(QObject *parent = nullptr);

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    // Queue of responses used in order when no handler is set.
    void enqueue(FakeResponse response) { m_queue.append(std::move(response)); }
    const QList<RecordedRequest> &requests() const { return m_requests; }

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override;

private:
    Handler m_handler;
    QList<FakeResponse> m_queue;
    QList<RecordedRequest> m_requests;
};

class FakeReply final : public QNetworkReply
{
    Q_OBJECT
public:
    FakeReply(const RecordedRequest &recorded, FakeResponse response, QObject *parent);

    void abort() override;
    qint64 bytesAvailable() const override;
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;

private:
    void deliver();
    FakeResponse m_response;
    QByteArray m_buffer;
    qint64 m_offset = 0;
    bool m_done = false;
};

} // namespace fedsync::test
