// The editor's dataset operations: create a dataset, delete one, import records from a JSON file and
// export a dataset to one (usecases/DatasetFile: the same files, and the same meaning, as fedsync-cli
// import and export). Each asks its question through the editor's prompts, writes through the
// workspace, and says what happened through its signals; the editor shows it.
#pragma once

#include "common/usererror.h"

#include <QObject>

class QWidget;

namespace fedsync {
class DatasetWorkspace;
}

namespace fedsync::ui {

struct EditorPrompts;
class RecordOperations;
class RecordTableModel;

class DatasetOperations final : public QObject
{
    Q_OBJECT
public:
    // All of them must outlive this object; `table` shows the current dataset; `dialogParent` is the
    // editor (its parent too).
    DatasetOperations(DatasetWorkspace &workspace, EditorPrompts &prompts, const RecordTableModel &table,
                      RecordOperations &records, QWidget *dialogParent);

    // Asks for a name and creates the dataset.
    void create();
    // Asks, then deletes the current dataset here and, at the next synchronization, everywhere.
    void removeCurrent();
    // Asks for a file and imports it (into the dataset it names, else the current one); only the records
    // that differ become pending changes, written on a worker thread.
    void importFile();
    // Asks where, and writes the current dataset there.
    void exportCurrent();

Q_SIGNALS:
    // Show this dataset (created, or imported into).
    void datasetChosen(const QString &name);
    void statusMessage(const QString &text);
    void failed(const fedsync::UserError &error);
    // An import started or ended on the worker thread (one import at a time).
    void importRunningChanged();

private:
    DatasetWorkspace &m_workspace;
    EditorPrompts &m_prompts;
    const RecordTableModel &m_table;
    RecordOperations &m_records;
    QWidget *m_parent;
};

} // namespace fedsync::ui
