// One network hop of the federation flow (discovery, authorize, token, GetId, AssumeRoleWithWebIdentity,
// ListRecords...), as the status bar, the flow inspector, the CLI's --trace and the tests all see it.
// Holds no secret: URLs lose their query, summaries are redacted before they get here.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
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

    QJsonObject toJson() const;
    // "auth0 token POST https://tenant/oauth/token -> 200 in 120 ms"
    QString oneLine() const;
};

} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::TraceEvent)
