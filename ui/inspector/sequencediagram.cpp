#include "sequencediagram.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

namespace fedsync::ui {
namespace {
constexpr int HeaderHeight = 40;
constexpr int RowHeight = 30;
constexpr int PhaseHeight = 24;
constexpr int LaneWidth = 170;
constexpr int Margin = 16;
} // namespace

SequenceDiagram::SequenceDiagram(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Sequence diagram"));
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

QStringList SequenceDiagram::laneNames()
{
    return {tr("Fedsync"), tr("Auth0"), tr("Cognito Identity"), tr("STS"), tr("Data store")};
}

int SequenceDiagram::laneOf(const TraceEvent &event)
{
    if (event.service == QStringLiteral("auth0"))
        return 1;
    if (event.service == QStringLiteral("cognito-identity"))
        return 2;
    if (event.service == QStringLiteral("sts"))
        return 3;
    return 4;
}

QString SequenceDiagram::phaseOf(const TraceEvent &event)
{
    switch (laneOf(event)) {
    case 1:
        return tr("sign-in");
    case 2:
    case 3:
        return tr("credentials");
    default:
        return tr("sync");
    }
}

void SequenceDiagram::addEvent(const TraceEvent &event)
{
    m_events.append(event);
    updateGeometry();
    resize(sizeHint());
    update();
}

void SequenceDiagram::clear()
{
    m_events.clear();
    m_selected = -1;
    updateGeometry();
    resize(sizeHint());
    update();
}

void SequenceDiagram::setSelectedIndex(int index)
{
    if (index < -1 || index >= m_events.size() || index == m_selected)
        return;
    m_selected = index;
    update();
    Q_EMIT hopSelected(index);
}

QList<SequenceDiagram::Row> SequenceDiagram::rows() const
{
    QList<Row> out;
    QString phase;
    for (int i = 0; i < m_events.size(); ++i) {
        const QString p = phaseOf(m_events.at(i));
        if (p != phase) {
            out.append({-1, p});
            phase = p;
        }
        out.append({i, p});
    }
    return out;
}

int SequenceDiagram::laneX(int lane) const
{
    return Margin + lane * LaneWidth + LaneWidth / 2;
}

QSize SequenceDiagram::sizeHint() const
{
    int height = HeaderHeight + Margin;
    for (const Row &row : rows())
        height += row.eventIndex < 0 ? PhaseHeight : RowHeight;
    return {2 * Margin + int(laneNames().size()) * LaneWidth, qMax(height + Margin, 200)};
}

void SequenceDiagram::paint(QPainter &painter) const
{
    painter.setRenderHint(QPainter::Antialiasing);
    const QSize size = sizeHint();
    painter.fillRect(QRect(QPoint(0, 0), size), palette().color(QPalette::Base));
    const QStringList lanes = laneNames();
    const QColor text = palette().color(QPalette::Text);
    QFont bold = font();
    bold.setBold(true);

    // Lane heads and lifelines.
    for (int lane = 0; lane < lanes.size(); ++lane) {
        const QRect head(laneX(lane) - LaneWidth / 2 + 8, 6, LaneWidth - 16, HeaderHeight - 12);
        painter.setPen(text);
        painter.setBrush(palette().color(QPalette::AlternateBase));
        painter.drawRoundedRect(head, 4, 4);
        painter.setFont(bold);
        painter.drawText(head, Qt::AlignCenter, lanes.at(lane));
        painter.setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DashLine));
        painter.drawLine(laneX(lane), HeaderHeight, laneX(lane), size.height() - Margin);
    }
    painter.setFont(font());

    int y = HeaderHeight + Margin / 2;
    for (const Row &row : rows()) {
        if (row.eventIndex < 0) {
            const QRect band(Margin / 2, y + 2, size.width() - Margin, PhaseHeight - 4);
            QColor fill = palette().color(QPalette::Highlight);
            fill.setAlpha(30);
            painter.setPen(Qt::NoPen);
            painter.setBrush(fill);
            painter.drawRect(band);
            painter.setPen(text);
            painter.setFont(bold);
            painter.drawText(band.adjusted(6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, row.phase);
            painter.setFont(font());
            y += PhaseHeight;
            continue;
        }
        const TraceEvent &e = m_events.at(row.eventIndex);
        const QColor colour = !e.ok            ? QColor(0xc6, 0x28, 0x28)
                              : e.attempts > 1 ? QColor(0xe6, 0x8a, 0x00)
                                               : QColor(0x2e, 0x7d, 0x32);
        if (row.eventIndex == m_selected) {
            QColor sel = palette().color(QPalette::Highlight);
            sel.setAlpha(60);
            painter.setPen(Qt::NoPen);
            painter.setBrush(sel);
            painter.drawRect(QRect(Margin / 2, y, size.width() - Margin, RowHeight));
        }
        const int x1 = laneX(0);
        const int x2 = laneX(laneOf(e));
        const int ay = y + RowHeight - 8;
        painter.setPen(QPen(colour, 2));
        painter.drawLine(x1, ay, x2 - 2, ay);
        QPainterPath head;
        head.moveTo(x2, ay);
        head.lineTo(x2 - 9, ay - 5);
        head.lineTo(x2 - 9, ay + 5);
        head.closeSubpath();
        painter.fillPath(head, colour);
        QString label = QStringLiteral("%1  %2 · %3 ms")
                            .arg(e.operation, e.httpStatus ? QString::number(e.httpStatus) : tr("no answer"))
                            .arg(e.durationMs);
        if (e.attempts > 1)
            label += tr(" · %n attempts", nullptr, e.attempts);
        painter.setPen(text);
        painter.drawText(QRect(x1 + 6, y, x2 - x1 - 12, RowHeight - 10), Qt::AlignLeft | Qt::AlignBottom,
                         label);
        y += RowHeight;
    }
}

void SequenceDiagram::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    paint(painter);
    if (hasFocus() && m_selected < 0 && m_events.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No hops yet: sign in or sync to see the flow."));
    }
}

void SequenceDiagram::mousePressEvent(QMouseEvent *event)
{
    int y = HeaderHeight + Margin / 2;
    const int clickY = int(event->position().y());
    for (const Row &row : rows()) {
        const int h = row.eventIndex < 0 ? PhaseHeight : RowHeight;
        if (clickY >= y && clickY < y + h && row.eventIndex >= 0) {
            setSelectedIndex(row.eventIndex);
            return;
        }
        y += h;
    }
}

void SequenceDiagram::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Down && m_selected + 1 < m_events.size())
        setSelectedIndex(m_selected + 1);
    else if (event->key() == Qt::Key_Up && m_selected > 0)
        setSelectedIndex(m_selected - 1);
    else
        QWidget::keyPressEvent(event);
}

} // namespace fedsync::ui
