// The flow inspector's live sequence diagram: a lane per party (Fedsync, Auth0, Cognito Identity, STS,
// the data store), one arrow per hop of the flow trace as it happens (green: answered, amber: answered
// after retries, red: failed), with its duration, grouped into phases (sign-in, credentials, sync).
// Custom-painted; paint() draws on any QPainter, so the same picture goes to PNG and SVG.
#pragma once

#include "trace/traceevent.h"

#include <QList>
#include <QWidget>

namespace fedsync::ui {

class SequenceDiagram final : public QWidget
{
    Q_OBJECT
public:
    explicit SequenceDiagram(QWidget *parent = nullptr);

    void addEvent(const TraceEvent &event);
    void clear();
    const QList<TraceEvent> &events() const { return m_events; }

    int selectedIndex() const { return m_selected; }
    void setSelectedIndex(int index);

    // "sign-in", "credentials", "sync"; the lane index of the party a hop goes to.
    static QString phaseOf(const TraceEvent &event);
    static int laneOf(const TraceEvent &event);
    static QStringList laneNames();

    // Draws the whole diagram at its natural size (sizeHint()).
    void paint(QPainter &painter) const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void hopSelected(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Row
    {
        int eventIndex = -1; // -1: a phase header
        QString phase;
    };
    QList<Row> rows() const;
    int laneX(int lane) const;

    QList<TraceEvent> m_events;
    int m_selected = -1;
};

} // namespace fedsync::ui
