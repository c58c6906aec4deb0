#include "auth/loopbackreceiver.h"

#include "log/logcategories.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace fedsync {
namespace {
constexpr qsizetype kMaxRequestBytes = 16 * 1024;

QByteArray page(const QString &title, const QString &text)
{
    const QString html = QStringLiteral(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>%1</title><style>body{font-family:sans-serif;"
        "display:flex;align-items:center;justify-content:center;height:90vh;color:#1f2937}main{text-align:center}"
        "</style></head><body><main><h1>%1</h1><p>%2</p></main></body></html>")
                             .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
    return html.toUtf8();
}

void respond(QTcpSocket *socket, const QByteArray &status, const QByteArray &body)
{
    socket->write("HTTP/1.1 " + status + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
}
} // namespace

LoopbackReceiver::LoopbackReceiver(QString path, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_path(std::move(path))
{
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackReceiver::onNewConnection);
}

LoopbackReceiver::~LoopbackReceiver() = default;

bool LoopbackReceiver::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
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

void LoopbackReceiver::close()
{
    m_server->close();
}

void LoopbackReceiver::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void LoopbackReceiver::onReadyRead(QTcpSocket *socket)
{
    if (socket->bytesAvailable() > kMaxRequestBytes) {
        respond(socket, "431 Request Header Fields Too Large", {});
        return;
    }
    if (!socket->canReadLine())
        return;
    const QList<QByteArray> requestLine = socket->readLine().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine[0] != "GET") {
        respond(socket, "405 Method Not Allowed", {});
        return;
    }
    QUrl url = redirectUri();
    const QByteArray target = requestLine[1];
    const qsizetype q = target.indexOf('?');
    const QByteArray path = q < 0 ? target : target.left(q);
    if (QString::fromUtf8(path) != m_path) {
        respond(socket, "404 Not Found", page(tr("Not found"), QString()));
        return;
    }
    if (q >= 0)
        url.setQuery(QString::fromUtf8(target.mid(q + 1)), QUrl::StrictMode);
    if (m_delivered) {
        respond(socket, "200 OK", page(tr("Already done"), tr("You can close this tab and return to Fedsync.")));
        return;
    }
    m_delivered = true;
    respond(socket, "200 OK",
            page(tr("Back to Fedsync"), tr("The sign-in response reached Fedsync. You can close this tab.")));
    qCInfo(lcOidc) << "Authorization redirect received on" << redirectUri().toString();
    Q_EMIT redirectReceived(url);
}

} // namespace fedsync
