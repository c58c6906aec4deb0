#include "net/certificatetrust.h"

#include <QFile>
#include <QHostAddress>

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>

namespace fedsync {
namespace {
struct X509Free
{
    void operator()(X509 *x) const { X509_free(x); }
};
struct StoreFree
{
    void operator()(X509_STORE *s) const { X509_STORE_free(s); }
};
struct CtxFree
{
    void operator()(X509_STORE_CTX *c) const { X509_STORE_CTX_free(c); }
};
struct StackFree
{
    void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr toX509(const QSslCertificate &certificate)
{
    const QByteArray der = certificate.toDer();
    const unsigned char *data = reinterpret_cast<const unsigned char *>(der.constData());
    return X509Ptr(d2i_X509(nullptr, &data, der.size()));
}
} // namespace

QString CertificateTrust::verifyAgainstCaFile(const QList<QSslCertificate> &chain, const QString &host,
                                              const QString &caFile)
{
    if (chain.isEmpty())
        return QStringLiteral("the server sent no certificate");
    if (caFile.isEmpty())
        return QStringLiteral("the profile names no CA file");
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("the CA file %1 cannot be read").arg(caFile);
    const QList<QSslCertificate> anchors = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (anchors.isEmpty())
        return QStringLiteral("the CA file %1 holds no certificate").arg(caFile);

    std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
    for (const QSslCertificate &anchor : anchors) {
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

    std::unique_ptr<X509_STORE_CTX, CtxFree> ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), intermediates.get()) != 1)
        return QStringLiteral("certificate verification could not start");
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
