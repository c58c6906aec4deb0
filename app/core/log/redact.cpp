#include "log/redact.h"

#include <QByteArrayList>
#include <QRegularExpression>

#include <algorithm>

namespace fedsync {

QString redact(QStringView secret)
{
    const qsizetype length = secret.size();
    if (length == 0)
        return QStringLiteral("(empty)");
    const qsizetype shown = length <= 8 ? 0 : std::min<qsizetype>(6, length / 4);
    return secret.left(shown).toString() + QStringLiteral("…(%1 chars)").arg(length);
}

QString redact(const QByteArray &secret)
{
    return redact(QString::fromUtf8(secret));
}

QString redactLength(QStringView secret)
{
    if (secret.isEmpty())
        return QStringLiteral("(empty)");
    return QStringLiteral("…(%1 chars)").arg(secret.size());
}

bool isCredentialHeader(QByteArrayView name)
{
    const QByteArray lower = name.toByteArray().toLower();
    static const QByteArrayList exact{"authorization", "proxy-authorization", "cookie", "set-cookie",
                                      "x-amz-security-token"};
    if (exact.contains(lower))
        return true;
    static const QByteArrayList parts{"token", "secret", "password", "api-key", "apikey", "signature"};
    return std::any_of(parts.cbegin(), parts.cend(),
                       [&lower](const QByteArray &part) { return lower.contains(part); });
}

QString printableHeaderValue(QByteArrayView name, QByteArrayView value)
{
    const QString text = QString::fromUtf8(value.data(), value.size());
    if (!isCredentialHeader(name))
        return text;
    static const QRegularExpression sigv4(
        QStringLiteral(R"(^(AWS4-HMAC-SHA256\s.*Signature=)([0-9a-fA-F]+)(.*)$)"));
    if (name.compare("authorization", Qt::CaseInsensitive) == 0) {
        const auto match = sigv4.match(text);
        if (match.hasMatch())
            return match.captured(1) + redactLength(match.capturedView(2)) + match.captured(3);
        // "Bearer xyz", "Basic xyz": the scheme helps, the rest is the secret.
        const qsizetype space = text.indexOf(QLatin1Char(' '));
        if (space > 0)
            return text.left(space + 1) + redactLength(QStringView(text).mid(space + 1));
    }
    return redactLength(text);
}

QString printableCanonicalRequest(const QByteArray &canonicalRequest)
{
    // Layout: method, path, query, one "name:value" line per header, an empty line, signed headers, hash.
    QList<QByteArray> lines = canonicalRequest.split('\n');
    QStringList out;
    out.reserve(lines.size());
    bool inHeaders = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (i == 2) {
            QStringList params;
            for (const QByteArray &pair : line.split('&')) {
                const qsizetype eq = pair.indexOf('=');
                const QByteArray key = eq < 0 ? pair : pair.left(eq);
                if (eq >= 0 && isCredentialHeader(key))
                    params << QString::fromLatin1(key) + QLatin1Char('=') +
                                  redactLength(QString::fromLatin1(pair.mid(eq + 1)));
                else
                    params << QString::fromUtf8(pair);
            }
            out << params.join(QLatin1Char('&'));
            inHeaders = true;
            continue;
        }
        if (inHeaders && line.isEmpty())
            inHeaders = false;
        const qsizetype colon = line.indexOf(':');
        if (inHeaders && colon > 0) {
            const QByteArrayView name(line.constData(), colon);
            out << QString::fromLatin1(name.toByteArray()) + QLatin1Char(':') +
                       printableHeaderValue(name, QByteArrayView(line).sliced(colon + 1));
            continue;
        }
        out << QString::fromUtf8(line);
    }
    return out.join(QLatin1Char('\n'));
}

QString scrubSecrets(const QString &text)
{
    // A JWT: three base64url parts, the first starting with {" encoded ("eyJ").
    static const QRegularExpression jwt(
        QStringLiteral(R"(eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)"));
    // Named secrets in JSON ("refresh_token": "…") or in forms/queries (code=…&).
    static const QRegularExpression named(QStringLiteral(
        R"re(((?:access_token|id_token|refresh_token|code_verifier|client_secret|password|SecretKey|)re"
        R"re(SecretAccessKey|SessionToken|secret_access_key|session_token|Token|code))re"
        R"re(["']?\s*[:=]\s*["']?)([^"'&\s,}<]+))re"));
    QString out = text;
    qsizetype offset = 0;
    for (;;) {
        const auto match = jwt.match(out, offset);
        if (!match.hasMatch())
            break;
        const QString replacement = redact(match.capturedView());
        out.replace(match.capturedStart(), match.capturedLength(), replacement);
        offset = match.capturedStart() + replacement.size();
    }
    offset = 0;
    for (;;) {
        const auto match = named.match(out, offset);
        if (!match.hasMatch())
            break;
        const QString value = match.captured(2);
        if (value.contains(QStringLiteral("chars)"))) { // already redacted above
            offset = match.capturedEnd();
            continue;
        }
        const QString replacement = redact(value);
        out.replace(match.capturedStart(2), match.capturedLength(2), replacement);
        offset = match.capturedStart(2) + replacement.size();
    }
    return out;
}

} // namespace fedsync
