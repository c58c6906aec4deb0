// The editor's record operations (add, edit, delete) as undoable steps: each is written to the store
// through the workspace at once, then recorded on its dataset's undo stack (one stack per dataset, in
// one QUndoGroup). The add and edit dialogs check keys and values as the store will.
#pragma once

#include "sync/datasetworkspace.h"

#include <QHash>
#include <QObject>

#include <functional>

class QUndoGroup;
class QUndoStack;
class QWidget;

namespace fedsync::ui {

class RecordTableModel;

class RecordOperations final : public QObject
{
    Q_OBJECT
public:
    using ErrorReporter = std::function<void(const UserError &)>;

    // All of them must outlive this object; `dialogParent` is the editor.
    RecordOperations(DatasetWorkspace &workspace, RecordTableModel &records, QUndoGroup &undo,
                     QWidget *dialogParent, ErrorReporter report);

    QUndoStack *stackFor(const QString &dataset);
    void forgetDataset(const QString &dataset);

    // Opens the add dialog; `added` gets the new key.
    void add(const QString &dataset, std::function<void(const QString &key)> added);
    void edit(const QString &dataset, const QString &key);
    void remove(const QString &dataset, const QStringList &keys);
    // A value edited in place in the table, already saved.
    void recordEdited(const DatasetWorkspace::Change &change);

private:
    UserError checkNewRecord(const QString &dataset, const QString &key, const QString &value) const;

    DatasetWorkspace &m_workspace;
    RecordTableModel &m_records;
    QUndoGroup &m_undo;
    QWidget *m_parent;
    ErrorReporter m_report;
    QHash<QString, QUndoStack *> m_stacks;
};

} // namespace fedsync::ui
