#include "datasetoperations.h"

#include "editorprompts.h"
#include "recordoperations.h"
#include "recordtablemodel.h"
#include "sync/datasetworkspace.h"
#include "sync/localstore.h"
#include "usecases/datasetfile.h"

#include <QUndoStack>
#include <QWidget>

namespace fedsync::ui {

DatasetOperations::DatasetOperations(DatasetWorkspace &workspace, EditorPrompts &prompts,
                                     const RecordTableModel &table, RecordOperations &records,
                                     QWidget *dialogParent)
    : QObject(dialogParent)
    , m_workspace(workspace)
    , m_prompts(prompts)
    , m_table(table)
    , m_records(records)
    , m_parent(dialogParent)
{}

void DatasetOperations::create()
{
    m_prompts.askText(m_parent, tr("New dataset"),
                      tr("Name (1 to %1 letters, digits and _ . : -):").arg(LocalStore::MaxDatasetNameLength),
                      [this](const QString &name) {
                          if (const UserError error = m_workspace.createDataset(name); error.isError())
                              return error;
                          Q_EMIT datasetChosen(name);
                          return UserError();
                      });
}

void DatasetOperations::removeCurrent()
{
    const QString dataset = m_table.dataset();
    if (dataset.isEmpty())
        return;
    m_prompts.confirm(m_parent, tr("Delete dataset"),
                      tr("Delete the dataset “%1” (records: %2) on this computer and, at the next "
                         "synchronization, on the server and your other devices? This cannot be undone.")
                          .arg(dataset)
                          .arg(m_table.rowCount()),
                      [this, dataset](bool yes) {
                          if (!yes)
                              return;
                          if (const UserError error = m_workspace.deleteDataset(dataset); error.isError())
                              return Q_EMIT failed(error);
                          m_records.forgetDataset(dataset);
                      });
}

void DatasetOperations::importFile()
{
    m_prompts.openFile(m_parent, tr("Import records"), [this](const QString &path) {
        if (path.isEmpty())
            return;
        // Only what the file changes becomes a pending change (the same import as fedsync-cli import).
        const auto plan = DatasetFile::planImport(m_workspace.store(), path, m_table.dataset());
        if (!plan.ok())
            return Q_EMIT failed(plan.error);
        const QString dataset = plan.value.dataset;
        const qsizetype count = plan.value.total;
        const DatasetFile::Records &changed = plan.value.changed;
        const auto imported = [this, dataset, count] {
            // Undo steps recorded before the import would now restore values it replaced: start afresh.
            m_records.stackFor(dataset)->clear();
            Q_EMIT datasetChosen(dataset);
            Q_EMIT statusMessage(tr("Records imported into “%1”: %2.").arg(dataset).arg(count));
        };
        if (changed.isEmpty())
            return imported();
        // Saved on a worker thread: a transaction of up to 1,024 records would stall the window.
        m_workspace.putValuesInBackground(dataset, changed, [this, imported](const UserError &error) {
            Q_EMIT importRunningChanged();
            if (error.isError())
                return Q_EMIT failed(error);
            imported();
        });
        Q_EMIT importRunningChanged();
        Q_EMIT statusMessage(
            tr("Importing %n record(s) into “%1”…", nullptr, int(changed.size())).arg(dataset));
    });
}

void DatasetOperations::exportCurrent()
{
    const QString dataset = m_table.dataset();
    if (dataset.isEmpty())
        return;
    m_prompts.saveFile(m_parent, tr("Export “%1”").arg(dataset), dataset + QStringLiteral(".json"),
                       [this, dataset](const QString &path) {
                           if (path.isEmpty())
                               return;
                           if (const UserError error = DatasetFile::write(path, m_workspace.store(), dataset);
                               error.isError())
                               return Q_EMIT failed(error);
                           Q_EMIT statusMessage(tr("Exported “%1” to %2.").arg(dataset, path));
                       });
}

} // namespace fedsync::ui
