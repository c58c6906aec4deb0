#include "aws/signedrequest.h"

#include <QRegularExpression>

namespace fedsync::aws {

SignedRequest signRequest(HttpRequest request, const AwsCredentials &credentials, const QString &service,
                          const QString &region, const QDateTime &now)
{
    const QUrl &url = request.url;
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (url.port() != -1 && !((url.scheme() == QLatin1String("https") && url.port() == 443) ||
                              (url.scheme() == QLatin1String("http") && url.port() == 80)))
        host += ':' + QByteArray::number(url.port());
    bool hasHost = false;
    for (const auto &[name, value] : std::as_const(request.headers))
        hasHost = hasHost || name.compare("host", Qt::CaseInsensitive) == 0;
    if (!hasHost)
        request.headers.prepend({QByteArrayLiteral("Host"), host});

    SigV4Options options;
    options.region = region;
    options.service = service;
    // S3 signs the payload hash and its paths as they are; every other service double-encodes.
    if (service == QLatin1String("s3")) {
        options.signBody = true;
        options.normalizePath = false;
        options.doubleEncodePath = false;
    }
    const SigV4Signer signer(
        {credentials.accessKeyId.toLatin1(), credentials.secretAccessKey, credentials.sessionToken}, options);
    QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    if (path.isEmpty())
        path = "/";
    const SigV4Request toSign{request.method, path, url.query(QUrl::FullyEncoded).toLatin1(), request.headers,
                              request.body};
    SignedRequest signed_;
    signed_.signature = signer.signHeaders(toSign, now);
    request.headers += signed_.signature.headersToAdd;
    signed_.request = std::move(request);
    return signed_;
}

std::optional<ServiceAndRegion> serviceAndRegionFromHost(const QString &host)
{
    static const QRegularExpression regional(QStringLiteral(
        R"(^([a-z0-9-]+)(?:-fips)?\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.(?:amazonaws\.com(?:\.cn)?|api\.aws)$)"));
    static const QRegularExpression global(QStringLiteral(R"(^([a-z0-9-]+)\.amazonaws\.com$)"));
    const QString h = host.toLower();
    if (const auto m = regional.match(h); m.hasMatch())
        return ServiceAndRegion{m.captured(1), m.captured(2)};
    if (const auto m = global.match(h); m.hasMatch())
        return ServiceAndRegion{m.captured(1), QStringLiteral("us-east-1")}; // sts, iam: signed in us-east-1
    return std::nullopt;
}

} // namespace fedsync::aws
