#include "recordchangecommand.h"

namespace fedsync::ui {

RecordChangeCommand::RecordChangeCommand(DatasetWorkspace &workspace, DatasetWorkspace::Change change,
                                         ErrorReporter report, const QString &text)
    : QUndoCommand(text)
    , m_workspace(workspace)
    , m_change(std::move(change))
    , m_report(std::move(report))
{}

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
