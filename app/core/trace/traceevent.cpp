#include "trace/traceevent.h"

namespace fedsync {

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
