#include "inspect/harexport.h"

#include "log/logcategories.h"
#include "log/redact.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

namespace fedsync {
namespace {
QJsonArray headerArray(const QList<QPair<QString, QString>> &headers)
{
    QJsonArray out;
    for (const auto &[name, value] : headers)
        out.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    return out;
}

QString headerValue(const QList<QPair<QString, QString>> &headers, QStringView name)
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

// Beyond scrubSecrets(): AWS access key ids, and an authorization code in a form-like summary.
QString scrubText(const QString &text)
{
    static const QRegularExpression accessKey(QStringLiteral("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b"));
    static const QRegularExpression code(QStringLiteral("(\\bcode[=:]\\s*\"?)([A-Za-z0-9._~-]{8,})"));
    QString out = scrubSecrets(text);
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = accessKey.match(out, from)).hasMatch()) {
        const QString redacted = redact(m.captured(0));
        out.replace(m.capturedStart(0), m.capturedLength(0), redacted);
        from = m.capturedStart(0) + redacted.size();
    }
    from = 0;
    while ((m = code.match(out, from)).hasMatch()) {
        const QString redacted = redact(m.captured(2));
        out.replace(m.capturedStart(2), m.capturedLength(2), redacted);
        from = m.capturedStart(2) + redacted.size();
    }
    return out;
}
} // namespace

QJsonValue HarExport::scrub(const QJsonValue &value)
{
    if (value.isString())
        return scrubText(value.toString());
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(scrub(v));
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            out.insert(it.key(), scrub(it.value()));
        return out;
    }
    return value;
}

QJsonObject HarExport::build(const QList<TraceEvent> &events)
{
    QJsonArray entries;
    for (const TraceEvent &e : events) {
        const QString requestType = headerValue(e.requestHeaders, u"content-type");
        QJsonObject request{
            {QStringLiteral("method"), e.method.isEmpty() ? QStringLiteral("GET") : e.method},
            {QStringLiteral("url"), e.url.toString()},
            {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
            {QStringLiteral("cookies"), QJsonArray{}},
            {QStringLiteral("headers"), headerArray(e.requestHeaders)},
            {QStringLiteral("queryString"), QJsonArray{}},
            {QStringLiteral("headersSize"), -1},
            {QStringLiteral("bodySize"), -1},
        };
        if (e.method == QStringLiteral("POST") || e.method == QStringLiteral("PUT"))
            request.insert(
                QStringLiteral("postData"),
                QJsonObject{{QStringLiteral("mimeType"),
                             requestType.isEmpty() ? QStringLiteral("text/plain") : requestType},
                            {QStringLiteral("text"), e.summary},
                            {QStringLiteral("comment"), tr("Redacted summary, not the body sent")}});
        const QString responseType = headerValue(e.responseHeaders, u"content-type");
        const QJsonObject response{
            {QStringLiteral("status"), e.httpStatus},
            {QStringLiteral("statusText"), e.ok ? QStringLiteral("OK") : e.error},
            {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
            {QStringLiteral("cookies"), QJsonArray{}},
            {QStringLiteral("headers"), headerArray(e.responseHeaders)},
            {QStringLiteral("content"),
             QJsonObject{
                 {QStringLiteral("size"), e.responseBytes < 0 ? 0 : e.responseBytes},
                 {QStringLiteral("mimeType"),
                  responseType.isEmpty() ? QStringLiteral("x-unknown") : responseType},
                 {QStringLiteral("comment"), tr("Body left out: it may hold tokens or credentials")}}},
            {QStringLiteral("redirectURL"), QString()},
            {QStringLiteral("headersSize"), -1},
            {QStringLiteral("bodySize"), e.responseBytes},
        };
        entries.append(QJsonObject{
            {QStringLiteral("startedDateTime"), e.startedAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("time"), double(e.durationMs)},
            {QStringLiteral("request"), request},
            {QStringLiteral("response"), response},
            {QStringLiteral("cache"), QJsonObject{}},
            {QStringLiteral("timings"), QJsonObject{{QStringLiteral("send"), 0},
                                                    {QStringLiteral("wait"), double(e.durationMs)},
                                                    {QStringLiteral("receive"), 0}}},
            {QStringLiteral("comment"), e.oneLine()},
            {QStringLiteral("_fedsync"), QJsonObject{{QStringLiteral("sequence"), e.sequence},
                                                     {QStringLiteral("service"), e.service},
                                                     {QStringLiteral("operation"), e.operation},
                                                     {QStringLiteral("attempts"), e.attempts},
                                                     {QStringLiteral("ok"), e.ok},
                                                     {QStringLiteral("error"), e.error}}},
        });
    }
    const QJsonObject log{
        {QStringLiteral("version"), QStringLiteral("1.2")},
        {QStringLiteral("creator"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("Fedsync")},
                     {QStringLiteral("version"), QCoreApplication::applicationVersion()}}},
        {QStringLiteral("pages"), QJsonArray{}},
        {QStringLiteral("entries"), entries},
    };
    return scrub(QJsonObject{{QStringLiteral("log"), log}}).toObject();
}

UserError HarExport::write(const QList<TraceEvent> &events, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return UserError::make(QStringLiteral("har.write"), tr("Could not write the trace to %1").arg(path),
                               file.errorString(), tr("Choose a folder you can write to"));
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(build(events)).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return UserError::make(QStringLiteral("har.write"), tr("Could not write the trace to %1").arg(path),
                               file.errorString(), tr("Check the free space and try again"));
    qCDebug(lcInspect) << "HAR written:" << events.size() << "events to" << path;
    return {};
}

} // namespace fedsync
