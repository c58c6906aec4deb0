#include "net/networkcontext.h"

#include "log/logcategories.h"
#include "net/certificatetrust.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QHostAddress>
#include <QSettings>
#include <QSslCertificate>

namespace fedsync {

NetworkContext::NetworkContext(QNetworkAccessManager *nam, FlowTrace *trace)
    : m_nam(nam)
    , m_trace(trace)
{
}

const QSslConfiguration &NetworkContext::sslConfiguration() const
{
    if (!m_ssl) {
        m_ssl = QSslConfiguration::defaultConfiguration();
        m_ssl->setPeerVerifyMode(QSslSocket::VerifyPeer);
        m_ssl->setProtocol(QSsl::TlsV1_2OrLater);
    }
    return *m_ssl;
}

UserError NetworkContext::addCaCertificates(const QString &path, const QStringList &hosts)
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
    const QByteArray content = file.readAll();
    // A file whose every certificate passed the checks below before is not parsed again (by the SHA-256
    // of its bytes): a start then sets up none of OpenSSL's decoders before its window is shown (the first
    // TLS connection does). Any change to the file is a new file, checked again.
    const QString checkedKey =
        QStringLiteral("caFilesChecked/v1/") +
        QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    if (QSettings().value(checkedKey).toBool()) {
        trust(CertificateTrust::pemBlocks(content), hosts);
        qCDebug(lcNet) << "extra CA certificates (checked before):" << m_extraCaDer.size();
        return {};
    }
    const QList<QByteArray> certificates = CertificateTrust::pemCertificates(content);
    if (certificates.isEmpty()) {
        return UserError::make(
            QStringLiteral("net.cafile.empty"),
            QCoreApplication::translate("NetworkContext", "The profile's CA file %1 holds no certificate").arg(path),
            QCoreApplication::translate("NetworkContext", "It must contain PEM certificates (-----BEGIN CERTIFICATE-----)"),
            QCoreApplication::translate("NetworkContext", "Point the profile at the right file"));
    }
    for (const QByteArray &der : certificates) {
        const QString why = CertificateTrust::checkServerAuthCaDer(der);
        if (!why.isEmpty()) {
            const QSslCertificate certificate(der, QSsl::Der); // only to describe it
            return UserError::make(
                QStringLiteral("net.cafile.usage"),
                QCoreApplication::translate("NetworkContext", "The profile's CA file %1 was not used").arg(path),
                QCoreApplication::translate("NetworkContext", "%1 (%2)")
                    .arg(why, CertificateTrust::describe(certificate)),
                QCoreApplication::translate("NetworkContext",
                                            "Use the certificate of the authority that issues your servers' "
                                            "TLS certificates"));
        }
    }
    trust(certificates, hosts);
    if (certificates.size() == CertificateTrust::pemBlocks(content).size())
        QSettings().setValue(checkedKey, true); // every block read and checked
    qCDebug(lcNet) << "extra CA certificates:" << certificates.size() << "for"
                   << (hosts.isEmpty() ? QStringList{QStringLiteral("every host")} : hosts);
    return {};
}

void NetworkContext::trust(const QList<QByteArray> &certificates, const QStringList &hosts)
{
    m_extraCaDer += certificates;
    m_sslWithCa.reset();
    m_hasExtraCa = true;
    if (hosts.isEmpty())
        m_caForAllHosts = true;
    for (const QString &host : hosts)
        if (!host.isEmpty())
            m_caHosts.append(host.toLower());
}

bool NetworkContext::isCaTrustedFor(const QString &host) const
{
    return m_hasExtraCa && (m_caForAllHosts || CertificateTrust::isHostListed(host, m_caHosts));
}

QSslConfiguration NetworkContext::sslConfigurationFor(const QUrl &url) const
{
    if (!isCaTrustedFor(url.host()))
        return sslConfiguration();
    if (!m_sslWithCa) {
        QSslConfiguration withCa = sslConfiguration();
        QList<QSslCertificate> all = withCa.caCertificates();
        for (const QByteArray &der : m_extraCaDer)
            all << QSslCertificate(der, QSsl::Der);
        withCa.setCaCertificates(all);
        m_sslWithCa = withCa;
    }
    return *m_sslWithCa;
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
