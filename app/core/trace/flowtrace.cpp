#include "trace/flowtrace.h"

#include "log/logcategories.h"

#include <algorithm>

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
    qCDebug(lcTrace).noquote() << event.oneLine();
    m_events.append(event);
    trim();
    Q_EMIT eventRecorded(m_events.constLast());
}

void FlowTrace::setCapacity(qsizetype capacity)
{
    m_capacity = std::max<qsizetype>(1, capacity);
    trim();
}

void FlowTrace::trim()
{
    const qsizetype excess = m_events.size() - m_capacity;
    if (excess <= 0)
        return;
    m_events.remove(0, excess);
    m_dropped += excess;
}

void FlowTrace::clear()
{
    m_events.clear();
    m_dropped = 0;
    Q_EMIT cleared();
}

} // namespace fedsync
