// One network hop of the federation flow (discovery, authorize, token, GetId, AssumeRoleWithWebIdentity,
// ListRecords...), as the status bar, the flow inspector, the CLI's --trace and the tests all see it.
// Holds no secret: URLs lose their query, summaries are redacted before they get here.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QUrl>

namespace fedsync {

struct TraceEvent
{
    qint64 sequence = 0;   // assigned by FlowTrace, 1-based
    QDateTime startedAt;   // UTC
    QString service;       // "auth0", "cognito-identity", "sts", "cognito-sync"
    QString operation;     // "discovery", "token", "GetId", "ListRecords"...
    QString method;        // "GET", "POST"...
    QUrl url;              // scheme, host, port and path only
    int httpStatus = 0;    // 0 when no HTTP answer arrived
    int attempts = 1;
    qint64 durationMs = 0;
    bool ok = false;
    QString summary;       // redacted, human-readable ("identity us-east-1:1a2b…")
    QString error;         // error code or short text when !ok
    // Header names and values for the flow inspector and the HAR export; credentials (authorization,
    // x-amz-security-token, cookies) already replaced by "[redacted]" (see redactedHeaders()).
    QList<QPair<QString, QString>> requestHeaders;
    QList<QPair<QString, QString>> responseHeaders;
    qint64 responseBytes = -1; // -1: unknown

    // Names and values as text, with the value of every header that can carry a credential redacted.
    static QList<QPair<QString, QString>> redactedHeaders(const QList<QPair<QByteArray, QByteArray>> &headers);
    static bool isSecretHeader(QStringView name);

    QJsonObject toJson() const;
    // "auth0 token POST https://tenant/oauth/token -> 200 in 120 ms"
    QString oneLine() const;
};

} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::TraceEvent)
