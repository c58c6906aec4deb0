#include "trace/traceevent.h"

namespace fedsync {

bool TraceEvent::isSecretHeader(QStringView name)
{
    for (const char *secret : {"authorization", "x-amz-security-token", "cookie", "set-cookie",
                               "proxy-authorization", "x-amz-signature"})
        if (name.compare(QLatin1String(secret), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QList<QPair<QString, QString>> TraceEvent::redactedHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QList<QPair<QString, QString>> out;
    out.reserve(headers.size());
    for (const auto &[name, value] : headers) {
        const QString key = QString::fromLatin1(name);
        out.append({key, isSecretHeader(key) ? QStringLiteral("[redacted]") : QString::fromLatin1(value)});
    }
    return out;
}

QJsonObject TraceEvent::toJson() const
{
    return QJsonObject{
        {QStringLiteral("sequence"), sequence},
        {QStringLiteral("startedAt"), startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("service"), service},
        {QStringLiteral("operation"), operation},
        {QStringLiteral("method"), method},
        {QStringLiteral("url"), url.toString()},
        {QStringLiteral("httpStatus"), httpStatus},
        {QStringLiteral("attempts"), attempts},
        {QStringLiteral("durationMs"), durationMs},
        {QStringLiteral("ok"), ok},
        {QStringLiteral("summary"), summary},
        {QStringLiteral("error"), error},
    };
}

QString TraceEvent::oneLine() const
{
    QString line = QStringLiteral("%1 %2 %3 %4 -> ").arg(service, operation, method, url.toString());
    line += httpStatus ? QString::number(httpStatus) : QStringLiteral("no answer");
    line += QStringLiteral(" in %1 ms").arg(durationMs);
    if (attempts > 1)
        line += QStringLiteral(" (%1 attempts)").arg(attempts);
    if (!error.isEmpty())
        line += QStringLiteral(" [%1]").arg(error);
    if (!summary.isEmpty())
        line += QStringLiteral(": ") + summary;
    return line;
}

} // namespace fedsync
