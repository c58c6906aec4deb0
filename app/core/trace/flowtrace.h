// The session's record of every network hop, in order. One instance per session, passed to every client.
#pragma once

#include "trace/traceevent.h"

#include <QList>
#include <QObject>

namespace fedsync {

class FlowTrace final : public QObject
{
    Q_OBJECT
public:
    explicit FlowTrace(QObject *parent = nullptr);

    // Stamps the sequence number (and startedAt when unset), stores, and emits eventRecorded.
    void record(TraceEvent event);
    const QList<TraceEvent> &events() const { return m_events; }
    void clear();

Q_SIGNALS:
    void eventRecorded(const fedsync::TraceEvent &event);
    void cleared();

private:
    QList<TraceEvent> m_events;
    qint64 m_next = 1;
};

} // namespace fedsync
