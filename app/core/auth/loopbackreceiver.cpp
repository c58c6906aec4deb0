#include "auth/loopbackreceiver.h"

#include "log/logcategories.h"
#include "oidc/pkce.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace fedsync {
namespace {
constexpr qsizetype kMaxRequestBytes = 16 * 1024;
const QString startPrefix = QStringLiteral("/start/");

QByteArray page(const QString &title, const QString &text)
{
    const QString html = QStringLiteral(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>%1</title><style>body{font-family:sans-serif;"
        "display:flex;align-items:center;justify-content:center;height:90vh;color:#1f2937}main{text-align:center}"
        "</style></head><body><main><h1>%1</h1><p>%2</p></main></body></html>")
                             .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
    return html.toUtf8();
}

void respond(QTcpSocket *socket, const QByteArray &status, const QByteArray &body,
             const QByteArray &extraHeaders = {})
{
    socket->write("HTTP/1.1 " + status + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n" +
                  extraHeaders + "Connection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
}
} // namespace

LoopbackReceiver::LoopbackReceiver(QString path, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_limit(new QTimer(this))
    , m_path(std::move(path))
{
    m_server->setMaxPendingConnections(DefaultMaxConnections);
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackReceiver::onNewConnection);
    m_limit->setSingleShot(true);
    connect(m_limit, &QTimer::timeout, this, [this] {
        qCInfo(lcAuth) << "No sign-in response within" << m_timeLimitMs / 1000 << "s; stopped listening";
        close();
        Q_EMIT timedOut();
    });
}

LoopbackReceiver::~LoopbackReceiver() = default;

bool LoopbackReceiver::listen(quint16 port)
{
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return false;
    m_limit->start(m_timeLimitMs);
    return true;
}

bool LoopbackReceiver::isListening() const
{
    return m_server->isListening();
}

QUrl LoopbackReceiver::redirectUri() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_server->serverPort());
    url.setPath(m_path);
    return url;
}

QUrl LoopbackReceiver::startUrlFor(const QUrl &authorizationUrl)
{
    m_expectedState = QUrlQuery(authorizationUrl).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    const QString token = Pkce::randomUrlSafe(24).value_or(QString());
    m_startTargets.insert(startPrefix + token, authorizationUrl);
    QUrl url = redirectUri();
    url.setPath(startPrefix + token);
    return url;
}

void LoopbackReceiver::close()
{
    m_limit->stop();
    m_server->close();
    const auto sockets = m_sockets.keys();
    for (QTcpSocket *socket : sockets)
        drop(socket);
}

void LoopbackReceiver::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_sockets.size() >= m_maxConnections) {
            // Too many at once (a local process flooding the port): refuse this one, keep the others.
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *timer = new QTimer(socket);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, socket] { drop(socket); });
        timer->start(m_connectionTimeoutMs);
        m_sockets.insert(socket, timer);
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { drop(socket); });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void LoopbackReceiver::drop(QTcpSocket *socket)
{
    if (!m_sockets.remove(socket))
        return;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void LoopbackReceiver::onReadyRead(QTcpSocket *socket)
{
    if (!m_sockets.contains(socket))
        return;
    if (socket->bytesAvailable() > kMaxRequestBytes) {
        respond(socket, "431 Request Header Fields Too Large", {});
        return;
    }
    if (!socket->canReadLine())
        return;
    const QList<QByteArray> requestLine = socket->readLine().trimmed().split(' ');
    socket->readAll(); // the headers are not needed
    if (requestLine.size() != 3 || requestLine[0] != "GET") {
        respond(socket, "405 Method Not Allowed", {});
        return;
    }
    QUrl url = redirectUri();
    const QByteArray target = requestLine[1];
    const qsizetype q = target.indexOf('?');
    const QString path = QString::fromUtf8(q < 0 ? target : target.left(q));
    if (path.startsWith(startPrefix)) {
        const QUrl authorization = m_startTargets.take(path); // once
        if (authorization.isEmpty()) {
            respond(socket, "404 Not Found", page(tr("Not found"), tr("This sign-in link was already used.")));
            return;
        }
        respond(socket, "302 Found", {},
                "Location: " + authorization.toString(QUrl::FullyEncoded).toLatin1() + "\r\n");
        return;
    }
    if (path != m_path) {
        respond(socket, "404 Not Found", page(tr("Not found"), QString()));
        return;
    }
    if (q >= 0)
        url.setQuery(QString::fromUtf8(target.mid(q + 1)), QUrl::StrictMode);
    if (m_delivered) {
        respond(socket, "200 OK", page(tr("Already done"), tr("You can close this tab and return to Fedsync.")));
        return;
    }
    const QString state = QUrlQuery(url).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    if (!m_expectedState.isEmpty() && state != m_expectedState) {
        // Not the answer to this sign-in: say so, ignore it, keep waiting for the real one.
        qCInfo(lcAuth) << "Ignored a redirect with an unexpected state on" << redirectUri().toString();
        respond(socket, "400 Bad Request",
                page(tr("Not this sign-in"),
                     tr("This response does not belong to the sign-in Fedsync is waiting for. It was "
                        "ignored.")));
        Q_EMIT strayRedirectIgnored();
        return;
    }
    m_delivered = true;
    m_limit->stop();
    respond(socket, "200 OK",
            page(tr("Back to Fedsync"), tr("The sign-in response reached Fedsync. You can close this tab.")));
    qCInfo(lcAuth) << "Authorization redirect received on" << redirectUri().toString();
    Q_EMIT redirectReceived(url);
}

} // namespace fedsync
