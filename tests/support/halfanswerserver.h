// A real HTTP server on 127.0.0.1 that answers "200 OK" with a Content-Length of 200 and sends only the
// first 100 bytes, then waits: for what a client does when it stops in the middle of a body (a cancel,
// a timeout, a window closed).
#pragma once

#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace fedsync::test {

class HalfAnswerServer
{
public:
    HalfAnswerServer()
    {
        m_server.listen(QHostAddress::LocalHost);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                socket->readAll();
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 200\r\n\r\n");
                socket->write(QByteArray(100, 'p'));
                socket->flush();
                m_halfSent = true;
            });
        });
    }
    bool isListening() const { return m_server.isListening(); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/pic.png").arg(m_server.serverPort()));
    }
    // The status line and half the body are written.
    bool halfSent() const { return m_halfSent; }

private:
    QTcpServer m_server;
    bool m_halfSent = false;
};

} // namespace fedsync::test
