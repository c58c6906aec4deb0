// The undo step of one record change that was already committed to the store: undo writes the value
// before back, redo the value after, both through the workspace (so the store, not only the view, goes
// back). Subclasses name the operation. A write refused on the way (a limit, the dataset being deleted)
// is reported, not thrown.
#pragma once

#include "sync/datasetworkspace.h"

#include <QUndoCommand>

#include <functional>

namespace fedsync::ui {

class RecordChangeCommand : public QUndoCommand
{
public:
    using ErrorReporter = std::function<void(const UserError &)>;

    const DatasetWorkspace::Change &change() const { return m_change; }
    // A key short enough for a button or menu text ("Undo Delete “…”"): long keys are elided in the middle.
    static QString shortKey(const QString &key);

    void undo() override;
    void redo() override;

protected:
    RecordChangeCommand(DatasetWorkspace &workspace, DatasetWorkspace::Change change, ErrorReporter report,
                        const QString &text);

private:
    DatasetWorkspace &m_workspace;
    const DatasetWorkspace::Change m_change;
    ErrorReporter m_report;
    bool m_applied = true; // pushed after the change was made: the first redo() has nothing to do
};

} // namespace fedsync::ui
