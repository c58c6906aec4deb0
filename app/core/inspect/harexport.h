// The flow trace as an HTTP Archive (HAR 1.2) that opens in a browser's devtools: one entry per hop with
// method, URL, status, timings and headers, and the redacted summary as the body text. Nothing secret goes
// in: the trace holds no token, and every string is scrubbed once more on the way out (JWTs, AWS keys and
// secrets, token/password/code values), so a HAR can be attached to a support ticket as it is.
#pragma once

#include "common/usererror.h"
#include "trace/traceevent.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>

namespace fedsync {

class HarExport final
{
    Q_DECLARE_TR_FUNCTIONS(HarExport)

public:
    static QJsonObject build(const QList<TraceEvent> &events);
    // Writes the HAR (owner-only permissions). Empty on success.
    static UserError write(const QList<TraceEvent> &events, const QString &path);
    // Scrubs every string of a JSON value (recursively); exposed for the inspector's detail view.
    static QJsonValue scrub(const QJsonValue &value);
};

} // namespace fedsync
