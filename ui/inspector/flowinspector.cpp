#include "flowinspector.h"

#include "inspect/harexport.h"
#include "inspect/jwtinspection.h"
#include "jwtreporthtml.h"
#include "log/redact.h"
#include "sequencediagram.h"
#include "trace/flowtrace.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace fedsync::ui {

FlowInspector::FlowInspector(FlowTrace *trace, QWidget *parent)
    : QWidget(parent)
    , m_trace(trace)
    , m_diagram(new SequenceDiagram)
    , m_details(new QTextBrowser)
    , m_status(new QLabel)
{
    setWindowTitle(tr("Flow inspector"));
    m_savePath = [this](const QString &title, const QString &filter) {
        return QFileDialog::getSaveFileName(this, title, {}, filter);
    };
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_diagram);
    scroll->setWidgetResizable(false);
    scroll->setBackgroundRole(QPalette::Base);
    m_details->setAccessibleName(tr("Hop details"));
    m_details->setPlaceholderText(tr("Select a hop to see its details."));
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(scroll);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *har = new QPushButton(tr("Export &HAR…"));
    auto *png = new QPushButton(tr("Export &PNG…"));
    auto *svg = new QPushButton(tr("Export &SVG…"));
    auto *clear = new QPushButton(tr("C&lear"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(har);
    buttons->addWidget(png);
    buttons->addWidget(svg);
    buttons->addStretch();
    buttons->addWidget(m_status);
    buttons->addWidget(clear);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(buttons);
    resize(900, 600);

    connect(har, &QPushButton::clicked, this, [this] {
        const QString path = m_savePath(tr("Export HAR"), tr("HTTP Archive (*.har)"));
        if (!path.isEmpty())
            exportHar(path);
    });
    connect(png, &QPushButton::clicked, this, [this] {
        const QString path = m_savePath(tr("Export diagram as PNG"), tr("PNG image (*.png)"));
        if (!path.isEmpty())
            exportPng(path);
    });
    connect(svg, &QPushButton::clicked, this, [this] {
        const QString path = m_savePath(tr("Export diagram as SVG"), tr("SVG image (*.svg)"));
        if (!path.isEmpty())
            exportSvg(path);
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        if (m_trace)
            m_trace->clear();
    });
    connect(m_diagram, &SequenceDiagram::hopSelected, this, &FlowInspector::showHop);
    if (m_trace) {
        for (const TraceEvent &event : m_trace->events())
            m_diagram->addEvent(event);
        connect(m_trace, &FlowTrace::eventRecorded, m_diagram, &SequenceDiagram::addEvent);
        connect(m_trace, &FlowTrace::cleared, this, [this] {
            m_diagram->clear();
            m_details->clear();
        });
    }
}

QString FlowInspector::detailsText() const
{
    return m_details->toPlainText();
}

void FlowInspector::report(const QString &text)
{
    m_status->setText(text);
}

void FlowInspector::showHop(int index)
{
    if (index < 0 || index >= m_diagram->events().size()) {
        m_details->clear();
        return;
    }
    const TraceEvent &e = m_diagram->events().at(index);
    QString html;
    html += QStringLiteral("<h3>%1 %2</h3>").arg(e.service.toHtmlEscaped(), e.operation.toHtmlEscaped());
    html +=
        QStringLiteral("<p><b>%1</b> %2<br>").arg(e.method.toHtmlEscaped(), e.url.toString().toHtmlEscaped());
    html += tr("Status: %1 · %2 ms · started %3 · %n attempt(s)", nullptr, e.attempts)
                .arg(e.httpStatus ? QString::number(e.httpStatus) : tr("no answer"))
                .arg(e.durationMs)
                .arg(e.startedAt.toString(Qt::ISODateWithMs))
                .toHtmlEscaped();
    if (!e.error.isEmpty())
        html += QStringLiteral("<br>") + tr("Error: %1").arg(e.error).toHtmlEscaped();
    html += QStringLiteral("</p>");
    auto headers = [](const QString &title, const QList<QPair<QString, QString>> &list) -> QString {
        QString out = QStringLiteral("<h4>%1</h4><pre>").arg(title.toHtmlEscaped());
        for (const auto &[name, value] : list)
            out += QStringLiteral("%1: %2\n").arg(name, scrubSecrets(value)).toHtmlEscaped();
        return out + QStringLiteral("</pre>");
    };
    html += headers(tr("Request headers"), e.requestHeaders);
    html += headers(tr("Response headers"), e.responseHeaders);
    html += QStringLiteral("<h4>%1</h4><p>%2</p>")
                .arg(tr("Body summary (redacted)").toHtmlEscaped(), scrubSecrets(e.summary).toHtmlEscaped());
    const bool tokenHop = e.service == QStringLiteral("auth0") && (e.operation == QStringLiteral("token") ||
                                                                   e.operation == QStringLiteral("refresh"));
    if (tokenHop && m_idToken) {
        const QString token = m_idToken();
        if (!token.isEmpty())
            html +=
                QStringLiteral("<h4>%1</h4>").arg(tr("ID token (decoded; the token itself is not shown)")) +
                jwtReportHtml(JwtInspector::inspect(token, {}));
    }
    m_details->setHtml(html);
}

bool FlowInspector::exportHar(const QString &path)
{
    const UserError error = HarExport::write(m_diagram->events(), path);
    report(error.isError() ? error.text() : tr("HAR saved: %1").arg(path));
    return !error.isError();
}

bool FlowInspector::exportPng(const QString &path)
{
    QImage image(m_diagram->sizeHint(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    m_diagram->paint(painter);
    painter.end();
    const bool ok = image.save(path, "PNG");
    report(ok ? tr("PNG saved: %1").arg(path) : tr("Could not write %1").arg(path));
    return ok;
}

bool FlowInspector::exportSvg(const QString &path)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(m_diagram->sizeHint());
    generator.setViewBox(QRect(QPoint(0, 0), m_diagram->sizeHint()));
    generator.setTitle(tr("Fedsync federation flow"));
    QPainter painter;
    if (!painter.begin(&generator)) {
        report(tr("Could not write %1").arg(path));
        return false;
    }
    m_diagram->paint(painter);
    painter.end();
    report(tr("SVG saved: %1").arg(path));
    return true;
}

} // namespace fedsync::ui
