#include "net/networkcontext.h"

#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>

namespace fedsync {

NetworkContext::NetworkContext(QNetworkAccessManager *nam, FlowTrace *trace)
    : m_nam(nam)
    , m_trace(trace)
    , m_ssl(QSslConfiguration::defaultConfiguration())
{
    m_ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    m_ssl.setProtocol(QSsl::TlsV1_2OrLater);
}

UserError NetworkContext::addCaCertificates(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return UserError::make(
            QStringLiteral("net.cafile.unreadable"),
            QCoreApplication::translate("NetworkContext", "The profile's CA file %1 could not be read").arg(path),
            file.errorString(),
            QCoreApplication::translate("NetworkContext",
                                        "Check the path in the profile, or remove the CA file setting to use "
                                        "the system's certificate authorities only"));
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty()) {
        return UserError::make(
            QStringLiteral("net.cafile.empty"),
            QCoreApplication::translate("NetworkContext", "The profile's CA file %1 holds no certificate").arg(path),
            QCoreApplication::translate("NetworkContext", "It must contain PEM certificates (-----BEGIN CERTIFICATE-----)"),
            QCoreApplication::translate("NetworkContext", "Point the profile at the right file"));
    }
    QList<QSslCertificate> all = m_ssl.caCertificates();
    all += certificates;
    m_ssl.setCaCertificates(all);
    return {};
}

bool NetworkContext::isLoopbackHost(const QString &host)
{
    if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

UserError NetworkContext::checkUrlAllowed(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty()) {
        return UserError::make(QStringLiteral("net.url.invalid"),
                               QCoreApplication::translate("NetworkContext", "\"%1\" is not a valid address")
                                   .arg(url.toDisplayString(QUrl::RemoveQuery)),
                               {}, QCoreApplication::translate("NetworkContext", "Check the profile's endpoints"));
    }
    if (url.scheme() == QStringLiteral("https"))
        return {};
    if (url.scheme() == QStringLiteral("http") && isLoopbackHost(url.host()))
        return {};
    return UserError::make(
        QStringLiteral("net.url.insecure"),
        QCoreApplication::translate("NetworkContext", "Fedsync refused to connect to %1")
            .arg(url.toDisplayString(QUrl::RemoveQuery | QUrl::RemovePath)),
        QCoreApplication::translate("NetworkContext",
                                    "Only https addresses are allowed (plain http only on this computer's "
                                    "loopback address), so tokens never cross the network unencrypted"),
        QCoreApplication::translate("NetworkContext", "Change the address in the profile to https://"));
}

} // namespace fedsync
