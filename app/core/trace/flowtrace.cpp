#include "trace/flowtrace.h"

#include "log/logcategories.h"

namespace fedsync {

FlowTrace::FlowTrace(QObject *parent)
    : QObject(parent)
{
}

void FlowTrace::record(TraceEvent event)
{
    event.sequence = m_next++;
    if (!event.startedAt.isValid())
        event.startedAt = QDateTime::currentDateTimeUtc();
    qCDebug(lcNet).noquote() << event.oneLine();
    m_events.append(event);
    Q_EMIT eventRecorded(m_events.constLast());
}

void FlowTrace::clear()
{
    m_events.clear();
    Q_EMIT cleared();
}

} // namespace fedsync
