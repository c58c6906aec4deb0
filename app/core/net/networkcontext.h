// What every network client needs, passed in rather than reached globally: the access manager, the TLS
// configuration (system CAs, plus a profile's extra CA file such as the sandbox's), the session's trace,
// and the default timeout. TLS verification cannot be turned off: there is deliberately no switch.
#pragma once

#include "common/usererror.h"

#include <QSslConfiguration>
#include <QUrl>

class QNetworkAccessManager;

namespace fedsync {

class FlowTrace;

class NetworkContext
{
public:
    NetworkContext(QNetworkAccessManager *nam, FlowTrace *trace);

    QNetworkAccessManager *accessManager() const { return m_nam; }
    FlowTrace *trace() const { return m_trace; }
    const QSslConfiguration &sslConfiguration() const { return m_ssl; }

    // Trusts the PEM certificates in `path` in addition to the system CAs. An unreadable file or one with
    // no certificate is an error (and nothing changes).
    UserError addCaCertificates(const QString &path);

    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // https everywhere; plain http only to a loopback address. A refusal says why and what to do.
    static UserError checkUrlAllowed(const QUrl &url);
    static bool isLoopbackHost(const QString &host);

private:
    QNetworkAccessManager *m_nam;
    FlowTrace *m_trace;
    QSslConfiguration m_ssl;
    int m_timeoutMs = 30000;
};

} // namespace fedsync
