#include "recordchangecommand.h"

namespace fedsync::ui {

RecordChangeCommand::RecordChangeCommand(DatasetWorkspace &workspace, DatasetWorkspace::Change change,
                                         ErrorReporter report, const QString &text)
    : QUndoCommand(text)
    , m_workspace(workspace)
    , m_change(std::move(change))
    , m_report(std::move(report))
{}

QString RecordChangeCommand::shortKey(const QString &key)
{
    constexpr qsizetype MaxShown = 24;
    const QList<uint> characters = key.toUcs4(); // never split a surrogate pair
    if (characters.size() <= MaxShown)
        return key;
    const auto text = [&characters](qsizetype from, qsizetype count) {
        return QString::fromUcs4(reinterpret_cast<const char32_t *>(characters.constData()) + from, count);
    };
    return text(0, MaxShown / 2) + QStringLiteral("…") + text(characters.size() - MaxShown / 2, MaxShown / 2);
}

void RecordChangeCommand::undo()
{
    m_applied = false;
    if (const UserError error = m_workspace.restore(m_change.dataset, m_change.key, m_change.before);
        error.isError() && m_report)
        m_report(error);
}

void RecordChangeCommand::redo()
{
    if (m_applied)
        return;
    m_applied = true;
    if (const UserError error = m_workspace.restore(m_change.dataset, m_change.key, m_change.after);
        error.isError() && m_report)
        m_report(error);
}

} // namespace fedsync::ui
