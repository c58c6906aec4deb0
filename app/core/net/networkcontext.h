// What every network client needs, passed in rather than reached globally: the access manager, the TLS
// configuration (system CAs, plus a profile's extra CA file such as the sandbox's, trusted only for the
// hosts the profile names), the session's trace, the default timeout and reply size limit. TLS
// verification cannot be turned off: there is deliberately no switch.
#pragma once

#include "common/usererror.h"

#include <QSslConfiguration>
#include <QStringList>
#include <QList>
#include <QByteArray>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;

namespace fedsync {

class FlowTrace;

class NetworkContext
{
public:
    NetworkContext(QNetworkAccessManager *nam, FlowTrace *trace);

    QNetworkAccessManager *accessManager() const { return m_nam; }
    FlowTrace *trace() const { return m_trace; }
    // The system CAs only. Built on first use: Qt's TLS backend (a plugin, OpenSSL's initialization) is
    // loaded by the first request, not when a profile is opened (the window is up before it).
    const QSslConfiguration &sslConfiguration() const;
    // What a request to `url` is verified with: the extra CA only when the URL's host is one it was
    // added for.
    QSslConfiguration sslConfigurationFor(const QUrl &url) const;

    // Trusts the PEM CA certificates in `path`, in addition to the system CAs, for connections to `hosts`
    // only (host names or IP addresses, no ports). An unreadable file, one with no certificate, or a CA
    // not meant to vouch for TLS servers (see CertificateTrust::checkServerAuthCa) is an error (and
    // nothing changes). Checked here with OpenSSL alone, once per file content (a file that passed is
    // remembered in the settings by the SHA-256 of its bytes and not parsed again); Qt's certificates are
    // made at the first request. An empty `hosts` trusts the file for every host: only for a bundle the
    // user named for that purpose (AWS_CA_BUNDLE), never for a profile's file.
    UserError addCaCertificates(const QString &path, const QStringList &hosts);
    bool isCaTrustedFor(const QString &host) const;

    // The longest reply body a request may get (HttpRequest::maxResponseBytes overrides it).
    qint64 maxResponseBytes() const { return m_maxResponseBytes; }
    void setMaxResponseBytes(qint64 bytes) { m_maxResponseBytes = bytes; }
    static constexpr qint64 DefaultMaxResponseBytes = 16 * 1024 * 1024;

    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // https everywhere; plain http only to a loopback address. A refusal says why and what to do.
    static UserError checkUrlAllowed(const QUrl &url);
    static bool isLoopbackHost(const QString &host);

private:
    void trust(const QList<QByteArray> &certificates, const QStringList &hosts);

    QNetworkAccessManager *m_nam;
    FlowTrace *m_trace;
    // Filled by sslConfiguration() / sslConfigurationFor() on first use.
    mutable std::optional<QSslConfiguration> m_ssl;
    mutable std::optional<QSslConfiguration> m_sslWithCa;
    QList<QByteArray> m_extraCaDer; // the certificates added so far, DER
    QStringList m_caHosts;
    bool m_caForAllHosts = false;
    bool m_hasExtraCa = false;
    int m_timeoutMs = 30000;
    qint64 m_maxResponseBytes = DefaultMaxResponseBytes;
};

} // namespace fedsync
