#include "log/redact.h"

#include <QRegularExpression>

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
