// Benchmark (prints figures; fails only when a signature or a verification is wrong):
//  - AWS SigV4 signatures per CPU second of Fedsync's SigV4Signer next to @smithy/signature-v4 (the AWS
//    SDK for JavaScript v3's signer, sigv4_smithy.mjs) on the same requests (sigv4requests.json); both
//    must produce the same signatures;
//  - RS256 ID-token validations per CPU second (IdTokenValidator: parse, RS256 against the JWKS, every
//    claim check) next to `openssl speed rsa2048`'s verify rate on this machine.
// Rates are per second of CPU time, as `openssl speed` counts them, so a busy machine skews little.
#include "aws/sigv4signer.h"
#include "benchreport.h"
#include "oidc/base64url.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/jwks.h"
#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrlQuery>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <ctime>

using namespace fedsync;

namespace {

constexpr double seconds = 1.0;
// Each side is measured this many times, alternating with the other, and reported by its median: a
// machine whose speed drifts (a shared VM) moves both sides alike instead of the ratio.
constexpr int rounds = 3;

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Runs `step` (which does `perStep` operations) until `seconds` of CPU time are spent: operations per CPU s.
template<typename Step> double ratePerCpuSecond(int perStep, Step step)
{
    const double start = cpuSeconds();
    qint64 count = 0;
    double spent = 0;
    while ((spent = cpuSeconds() - start) < seconds) {
        for (int i = 0; i < 64; ++i)
            step();
        count += 64 * perStep;
    }
    return double(count) / spent;
}

QString sourceDir()
{
    return qEnvironmentVariable("FEDSYNC_SOURCE_DIR", QStringLiteral(FEDSYNC_SOURCE_DIR));
}

QByteArray bignumBase64Url(EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
        return {};
    QByteArray bytes(BN_num_bytes(bn), Qt::Uninitialized);
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(bytes.data()));
    BN_free(bn);
    return Base64Url::encode(bytes);
}

QByteArray jsonPart(const QJsonObject &object)
{
    return Base64Url::encode(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

class BenchCrypto : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sigv4NextToSmithy();
    void rs256NextToOpenSslSpeed();
};

void BenchCrypto::sigv4NextToSmithy()
{
    const QString fixturePath = sourceDir() + QStringLiteral("/tests/bench/sigv4requests.json");
    QFile file(fixturePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject fixture = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject credentials = fixture.value(QStringLiteral("credentials")).toObject();
    const aws::SigV4Signer signer({credentials.value(QStringLiteral("accessKeyId")).toString().toUtf8(),
                                   credentials.value(QStringLiteral("secretAccessKey")).toString().toUtf8(),
                                   credentials.value(QStringLiteral("sessionToken")).toString().toUtf8()},
                                  {fixture.value(QStringLiteral("region")).toString(),
                                   fixture.value(QStringLiteral("service")).toString()});
    const QDateTime date =
        QDateTime::fromString(fixture.value(QStringLiteral("date")).toString(), Qt::ISODate);

    QList<aws::SigV4Request> requests;
    for (const QJsonValue &value : fixture.value(QStringLiteral("requests")).toArray()) {
        const QJsonObject r = value.toObject();
        aws::SigV4Request request;
        request.method = r.value(QStringLiteral("method")).toString().toUtf8();
        request.path = r.value(QStringLiteral("path")).toString().toUtf8();
        QUrlQuery query;
        const QJsonObject q = r.value(QStringLiteral("query")).toObject();
        for (auto it = q.begin(); it != q.end(); ++it)
            query.addQueryItem(it.key(), it.value().toString());
        request.query = query.toString(QUrl::FullyEncoded).toUtf8();
        request.headers.append(
            {QByteArrayLiteral("host"), r.value(QStringLiteral("host")).toString().toUtf8()});
        const QJsonObject h = r.value(QStringLiteral("headers")).toObject();
        for (auto it = h.begin(); it != h.end(); ++it)
            request.headers.append({it.key().toUtf8(), it.value().toString().toUtf8()});
        request.body = r.value(QStringLiteral("body")).toString().toUtf8();
        requests << request;
    }

    QList<double> ours, smithy;
    for (int round = 0; round < rounds; ++round) {
        // The anchor, and its signatures: both signers must agree on every request.
        QProcess node;
        node.start(QStandardPaths::findExecutable(QStringLiteral("node")),
                   {sourceDir() + QStringLiteral("/tests/bench/sigv4_smithy.mjs"),
                    sourceDir() + QStringLiteral("/sandbox"), fixturePath, QString::number(seconds)});
        QVERIFY2(node.waitForFinished(60000) && node.exitCode() == 0,
                 node.readAllStandardError().constData());
        const QJsonObject anchor = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
        const QJsonArray expected = anchor.value(QStringLiteral("signatures")).toArray();
        QCOMPARE(expected.size(), requests.size());
        for (qsizetype i = 0; i < requests.size(); ++i)
            QCOMPARE(QString::fromLatin1(signer.signHeaders(requests.at(i), date).signature),
                     expected.at(i).toString());
        smithy << anchor.value(QStringLiteral("signaturesPerSecond")).toDouble();
        ours << ratePerCpuSecond(int(requests.size()), [&] {
            for (const aws::SigV4Request &request : std::as_const(requests))
                signer.signHeaders(request, date);
        });
        qInfo("SigV4 round %d: Fedsync %.0f/s, smithy %.0f/s", round + 1, ours.last(), smithy.last());
    }
    bench::report(QStringLiteral("crypto"), QStringLiteral("SigV4 signatures per CPU second"),
                  bench::median(ours), QStringLiteral("1/s"), bench::median(smithy),
                  QStringLiteral("@smithy/signature-v4 (node)"), QStringLiteral(">= 5x"));
}

void BenchCrypto::rs256NextToOpenSslSpeed()
{
    // A provider's key and an ID token signed with it, as Auth0 issues them.
    EVP_PKEY *key = EVP_RSA_gen(2048);
    QVERIFY(key);
    const QJsonObject jwk{
        {QStringLiteral("kty"), QStringLiteral("RSA")},
        {QStringLiteral("kid"), QStringLiteral("bench-key")},
        {QStringLiteral("use"), QStringLiteral("sig")},
        {QStringLiteral("alg"), QStringLiteral("RS256")},
        {QStringLiteral("n"), QString::fromLatin1(bignumBase64Url(key, OSSL_PKEY_PARAM_RSA_N))},
        {QStringLiteral("e"), QString::fromLatin1(bignumBase64Url(key, OSSL_PKEY_PARAM_RSA_E))}};
    UserError error;
    const std::optional<Jwks> jwks =
        Jwks::fromJson(QJsonObject{{QStringLiteral("keys"), QJsonArray{jwk}}}, &error);
    QVERIFY2(jwks, qPrintable(error.text()));

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString issuer = QStringLiteral("https://tenant.example.auth0.com/");
    const QString clientId = QStringLiteral("benchClientId0123456789");
    const QByteArray input = jsonPart({{QStringLiteral("alg"), QStringLiteral("RS256")},
                                       {QStringLiteral("typ"), QStringLiteral("JWT")},
                                       {QStringLiteral("kid"), QStringLiteral("bench-key")}}) +
                             '.' +
                             jsonPart({{QStringLiteral("iss"), issuer},
                                       {QStringLiteral("sub"), QStringLiteral("auth0|0123456789abcdef")},
                                       {QStringLiteral("aud"), clientId},
                                       {QStringLiteral("iat"), now.toSecsSinceEpoch()},
                                       {QStringLiteral("exp"), now.toSecsSinceEpoch() + 3600},
                                       {QStringLiteral("name"), QStringLiteral("Bench User")},
                                       {QStringLiteral("email"), QStringLiteral("bench@example.com")},
                                       {QStringLiteral("nonce"), QStringLiteral("bench-nonce")}});
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t length = 0;
    QVERIFY(EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key) == 1);
    QVERIFY(EVP_DigestSign(md, nullptr, &length, reinterpret_cast<const unsigned char *>(input.constData()),
                           size_t(input.size())) == 1);
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    QVERIFY(EVP_DigestSign(md, reinterpret_cast<unsigned char *>(signature.data()), &length,
                           reinterpret_cast<const unsigned char *>(input.constData()),
                           size_t(input.size())) == 1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    const QString token = QString::fromLatin1(input + '.' + Base64Url::encode(signature));

    IdTokenValidator::ValidationContext context;
    context.issuer = issuer;
    context.clientId = clientId;
    context.jwks = &*jwks;
    context.nonce = QStringLiteral("bench-nonce");
    context.now = now;
    QVERIFY(IdTokenValidator::validate(token, context).isValid());
    QString tampered = token;
    tampered[tampered.size() - 5] = tampered.at(tampered.size() - 5) == u'A' ? u'B' : u'A';
    QVERIFY(!IdTokenValidator::validate(tampered, context).isValid());

    QList<double> ours, openssl;
    for (int round = 0; round < rounds; ++round) {
        ours << ratePerCpuSecond(1, [&] { IdTokenValidator::validate(token, context); });
        // The anchor: OpenSSL's own RSA-2048 verify rate (per CPU second, its default).
        QProcess speed;
        speed.start(QStringLiteral("openssl"), {QStringLiteral("speed"), QStringLiteral("-seconds"),
                                                QString::number(int(seconds)), QStringLiteral("rsa2048")});
        QVERIFY(speed.waitForFinished(60000));
        const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral("rsa 2048 bits\\s+\\S+\\s+\\S+\\s+(\\S+)\\s+(\\S+)"))
                .match(QString::fromUtf8(speed.readAllStandardOutput()));
        QVERIFY2(match.hasMatch(), "unexpected `openssl speed` output");
        openssl << match.captured(2).toDouble();
        qInfo("RS256 round %d: Fedsync %.0f/s, openssl speed %.0f/s", round + 1, ours.last(), openssl.last());
    }
    bench::report(QStringLiteral("crypto"), QStringLiteral("RS256 ID-token validations per CPU second"),
                  bench::median(ours), QStringLiteral("1/s"), bench::median(openssl),
                  QStringLiteral("openssl speed rsa2048 verify"), QStringLiteral(">= 0.8x"));
}

FEDSYNC_TEST_MAIN(BenchCrypto)
#include "bench_crypto.moc"
