// The session's record of every network hop, in order. One instance per session, passed to every client.
// A ring: a long-running app keeps the latest `capacity()` events, not every hop since it started.
#pragma once

#include "trace/traceevent.h"

#include <QList>
#include <QObject>

namespace fedsync {

class FlowTrace final : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype DefaultCapacity = 2000;

    explicit FlowTrace(QObject *parent = nullptr);

    // Stamps the sequence number (and startedAt when unset), stores, and emits eventRecorded.
    void record(TraceEvent event);
    const QList<TraceEvent> &events() const { return m_events; }
    void clear();

    qsizetype capacity() const { return m_capacity; }
    void setCapacity(qsizetype capacity);
    // Events dropped from the front since the last clear() (their sequence numbers stay used).
    qint64 droppedCount() const { return m_dropped; }

Q_SIGNALS:
    void eventRecorded(const fedsync::TraceEvent &event);
    void cleared();

private:
    void trim();

    QList<TraceEvent> m_events;
    qint64 m_next = 1;
    qsizetype m_capacity = DefaultCapacity;
    qint64 m_dropped = 0;
};

} // namespace fedsync
