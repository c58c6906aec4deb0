#include "net/certificatetrust.h"

#include "common/opensslfree.h"

#include <QFile>
#include <QHostAddress>

#include <QCryptographicHash>

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace fedsync {
namespace {
struct StackFree
{
    void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509_free>>;

X509Ptr toX509(const QSslCertificate &certificate)
{
    const QByteArray der = certificate.toDer();
    const unsigned char *data = reinterpret_cast<const unsigned char *>(der.constData());
    return X509Ptr(d2i_X509(nullptr, &data, der.size()));
}
} // namespace

bool CertificateTrust::isHostListed(const QString &host, const QStringList &hosts)
{
    const auto bare = [](QString h) {
        if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
            h = h.mid(1, h.size() - 2);
        return h.toLower();
    };
    const QString wanted = bare(host);
    if (wanted.isEmpty())
        return false;
    return std::any_of(hosts.cbegin(), hosts.cend(), [&](const QString &h) { return bare(h) == wanted; });
}

QString CertificateTrust::checkServerAuthCa(const QSslCertificate &ca)
{
    return checkServerAuthCaDer(ca.toDer());
}

QList<QByteArray> CertificateTrust::pemBlocks(const QByteArray &pem)
{
    static const QByteArray begin = QByteArrayLiteral("-----BEGIN CERTIFICATE-----");
    static const QByteArray end = QByteArrayLiteral("-----END CERTIFICATE-----");
    QList<QByteArray> out;
    qsizetype from = 0;
    while (true) {
        const qsizetype start = pem.indexOf(begin, from);
        if (start < 0)
            break;
        const qsizetype stop = pem.indexOf(end, start + begin.size());
        if (stop < 0)
            break;
        from = stop + end.size();
        out << QByteArray::fromBase64(pem.mid(start + begin.size(), stop - start - begin.size()));
    }
    return out;
}

QList<QByteArray> CertificateTrust::pemCertificates(const QByteArray &pem)
{
    QList<QByteArray> out;
    for (const QByteArray &der : pemBlocks(pem)) {
        const unsigned char *data = reinterpret_cast<const unsigned char *>(der.constData());
        if (X509Ptr(d2i_X509(nullptr, &data, der.size())))
            out << der;
    }
    return out;
}

QString CertificateTrust::checkServerAuthCaDer(const QByteArray &der)
{
    const unsigned char *data = reinterpret_cast<const unsigned char *>(der.constData());
    X509Ptr x(d2i_X509(nullptr, &data, der.size()));
    if (!x)
        return QStringLiteral("the certificate cannot be read");
    // Both answer UINT32_MAX when the certificate has no such extension (then it does not restrict itself).
    const uint32_t eku = X509_get_extended_key_usage(x.get());
    if (eku != UINT32_MAX && !(eku & (XKU_SSL_SERVER | XKU_ANYEKU)))
        return QStringLiteral("its extended key usage does not include TLS server authentication");
    const uint32_t ku = X509_get_key_usage(x.get());
    if (ku != UINT32_MAX && !(ku & KU_KEY_CERT_SIGN))
        return QStringLiteral("its key usage does not allow signing certificates");
    return {};
}

QString CertificateTrust::describe(const QSslCertificate &certificate)
{
    const QByteArray sha256 = certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper();
    QString subject = certificate.subjectDisplayName();
    const QStringList organisation = certificate.subjectInfo(QSslCertificate::Organization);
    if (!organisation.isEmpty() && !subject.contains(organisation.first()))
        subject += QStringLiteral(", ") + organisation.first();
    return QStringLiteral("%1; SHA-256 %2").arg(subject, QString::fromLatin1(sha256));
}

QStringList CertificateTrust::describeFile(const QString &caFile)
{
    QStringList out;
    for (const QSslCertificate &certificate : QSslCertificate::fromPath(caFile, QSsl::Pem))
        out << describe(certificate);
    return out;
}

QString CertificateTrust::verifyAgainstCaFile(const QList<QSslCertificate> &chain, const QString &host,
                                              const QString &caFile, const QStringList &trustedHosts)
{
    if (chain.isEmpty())
        return QStringLiteral("the server sent no certificate");
    if (caFile.isEmpty())
        return QStringLiteral("the profile names no CA file");
    if (!isHostListed(host, trustedHosts))
        return QStringLiteral("the profile's CA is trusted only for the hosts the profile names (%1), not %2")
            .arg(trustedHosts.join(QStringLiteral(", ")), host);
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("the CA file %1 cannot be read").arg(caFile);
    const QList<QSslCertificate> anchors = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (anchors.isEmpty())
        return QStringLiteral("the CA file %1 holds no certificate").arg(caFile);

    std::unique_ptr<X509_STORE, OpenSslFree<X509_STORE_free>> store(X509_STORE_new());
    for (const QSslCertificate &anchor : anchors) {
        const QString unfit = checkServerAuthCa(anchor);
        if (!unfit.isEmpty())
            return QStringLiteral("the CA file %1 holds a certificate that is not for TLS servers: %2")
                .arg(caFile, unfit);
        X509Ptr x = toX509(anchor);
        if (!x || X509_STORE_add_cert(store.get(), x.get()) != 1)
            return QStringLiteral("the CA file %1 holds an unreadable certificate").arg(caFile);
    }
    X509Ptr leaf = toX509(chain.first());
    if (!leaf)
        return QStringLiteral("the server's certificate cannot be read");
    std::unique_ptr<STACK_OF(X509), StackFree> intermediates(sk_X509_new_null());
    for (qsizetype i = 1; i < chain.size(); ++i)
        if (X509Ptr x = toX509(chain.at(i)))
            sk_X509_push(intermediates.get(), x.release());

    std::unique_ptr<X509_STORE_CTX, OpenSslFree<X509_STORE_CTX_free>> ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), intermediates.get()) != 1)
        return QStringLiteral("certificate verification could not start");
    // Every certificate of the chain must allow TLS server use (extended key usage where present).
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    const QByteArray hostBytes = host.toUtf8();
    if (!QHostAddress(host).isNull())
        X509_VERIFY_PARAM_set1_ip_asc(param, hostBytes.constData());
    else
        X509_VERIFY_PARAM_set1_host(param, hostBytes.constData(), size_t(hostBytes.size()));
    if (X509_verify_cert(ctx.get()) != 1) {
        const int code = X509_STORE_CTX_get_error(ctx.get());
        return QString::fromUtf8(X509_verify_cert_error_string(code));
    }
    return {};
}

} // namespace fedsync
