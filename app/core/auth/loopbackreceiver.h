// Receives the authorization redirect on http://127.0.0.1:<port>/<path> (RFC 8252 7.3) for the system
// browser and for headless sign-in. Listens on the loopback interface only, answers the browser with a
// short page, and hands the redirect URL over once: only one that carries the expected `state` (another
// local process or a web page that finds the port gets an answer and is ignored; listening goes on).
// Bounded: a per-connection timeout, a cap on open connections, an overall time limit.
//
// It also keeps the authorization URL (state, nonce, PKCE challenge) off command lines other local users
// can read (xdg-open's): startUrlFor() gives a one-time http://127.0.0.1:<port>/start/<random> address to
// open instead, which redirects the browser to the real one.
#pragma once

#include <QHash>
#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace fedsync {

class LoopbackReceiver final : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultConnectionTimeoutMs = 10 * 1000;
    static constexpr int DefaultMaxConnections = 16;
    static constexpr int DefaultTimeLimitMs = 10 * 60 * 1000;

    explicit LoopbackReceiver(QString path = QStringLiteral("/callback"), QObject *parent = nullptr);
    ~LoopbackReceiver() override;

    // Listens on 127.0.0.1:`port` (0 = any free port) and starts the overall time limit. False when it
    // cannot.
    bool listen(quint16 port = 0);
    // http://127.0.0.1:<port><path>, the redirect URI to send in the authorization request.
    QUrl redirectUri() const;
    void close();
    bool isListening() const;

    // Only a redirect whose `state` is this one is handed over (empty: any, as before a flow starts).
    void setExpectedState(const QString &state) { m_expectedState = state; }
    // Expects the state of `authorizationUrl` and returns a one-time local address that redirects the
    // browser to it. Each call makes a new address (for "open the page again").
    QUrl startUrlFor(const QUrl &authorizationUrl);

    void setConnectionTimeoutMs(int ms) { m_connectionTimeoutMs = ms; }
    void setMaxConnections(int count) { m_maxConnections = count; }
    void setTimeLimitMs(int ms) { m_timeLimitMs = ms; }
    int openConnections() const { return int(m_sockets.size()); }

Q_SIGNALS:
    void redirectReceived(const QUrl &url);
    // A redirect with another state arrived and was ignored.
    void strayRedirectIgnored();
    // Nothing usable arrived within the time limit; the receiver stopped listening.
    void timedOut();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void drop(QTcpSocket *socket);

    QTcpServer *m_server;
    QTimer *m_limit;
    QString m_path;
    QString m_expectedState;
    QHash<QString, QUrl> m_startTargets; // one-time "/start/<token>" paths
    QHash<QTcpSocket *, QTimer *> m_sockets;
    int m_connectionTimeoutMs = DefaultConnectionTimeoutMs;
    int m_maxConnections = DefaultMaxConnections;
    int m_timeLimitMs = DefaultTimeLimitMs;
    bool m_delivered = false;
};

} // namespace fedsync
