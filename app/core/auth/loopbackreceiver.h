// Receives the authorization redirect on http://127.0.0.1:<port>/<path> (RFC 8252 7.3) for the system
// browser and for headless sign-in. Listens on the loopback interface only, answers the browser with a
// short page, and hands the full redirect URL over once.
#pragma once

#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace fedsync {

class LoopbackReceiver final : public QObject
{
    Q_OBJECT
public:
    explicit LoopbackReceiver(QString path = QStringLiteral("/callback"), QObject *parent = nullptr);
    ~LoopbackReceiver() override;

    // Listens on 127.0.0.1:`port` (0 = any free port). False when it cannot.
    bool listen(quint16 port = 0);
    // http://127.0.0.1:<port><path>, the redirect URI to send in the authorization request.
    QUrl redirectUri() const;
    void close();

Q_SIGNALS:
    void redirectReceived(const QUrl &url);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer *m_server;
    QString m_path;
    bool m_delivered = false;
};

} // namespace fedsync
