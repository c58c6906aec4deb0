// View > Flow inspector: the session's flow trace as a live sequence diagram, the selected hop's details
// (method, URL, status, timing, headers and summary, all redacted; the ID token decoded with its checks
// for the sign-in hops), and exports: HAR 1.2 for devtools, the diagram as PNG and SVG.
#pragma once

#include <QPointer>
#include <QWidget>

#include <functional>

class QTextBrowser;
class QLabel;

namespace fedsync {
class FlowTrace;
struct TraceEvent;
} // namespace fedsync

namespace fedsync::ui {

class SequenceDiagram;

class FlowInspector final : public QWidget
{
    Q_OBJECT
public:
    explicit FlowInspector(FlowTrace *trace, QWidget *parent = nullptr);

    // The current ID token, decoded (never shown raw) with the sign-in hops; may return empty.
    void setIdTokenSource(std::function<QString()> source) { m_idToken = std::move(source); }
    // The file dialogs' seam: tests answer with a path; empty = cancelled.
    void setSavePathPrompt(std::function<QString(const QString &title, const QString &filter)> prompt)
    {
        m_savePath = std::move(prompt);
    }

    SequenceDiagram *diagram() const { return m_diagram; }
    QString detailsText() const;

    bool exportHar(const QString &path);
    bool exportPng(const QString &path);
    bool exportSvg(const QString &path);

private:
    void showHop(int index);
    void report(const QString &text);

    QPointer<FlowTrace> m_trace;
    SequenceDiagram *m_diagram;
    QTextBrowser *m_details;
    QLabel *m_status;
    std::function<QString()> m_idToken;
    std::function<QString(const QString &, const QString &)> m_savePath;
};

} // namespace fedsync::ui
