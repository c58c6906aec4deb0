#include "recordoperations.h"

#include "addrecordcommand.h"
#include "deleterecordcommand.h"
#include "editvaluecommand.h"
#include "recordeditdialog.h"
#include "recordtablemodel.h"

#include <QUndoGroup>
#include <QUndoStack>

namespace fedsync::ui {

RecordOperations::RecordOperations(DatasetWorkspace &workspace, RecordTableModel &records, QUndoGroup &undo,
                                   QWidget *dialogParent, ErrorReporter report)
    : QObject(&undo)
    , m_workspace(workspace)
    , m_records(records)
    , m_undo(undo)
    , m_parent(dialogParent)
    , m_report(std::move(report))
{}

QUndoStack *RecordOperations::stackFor(const QString &dataset)
{
    QUndoStack *&stack = m_stacks[dataset];
    if (!stack)
        stack = new QUndoStack(&m_undo);
    return stack;
}

void RecordOperations::forgetDataset(const QString &dataset)
{
    delete m_stacks.take(dataset);
}

UserError RecordOperations::checkNewRecord(const QString &dataset, const QString &key,
                                           const QString &value) const
{
    if (!key.isEmpty() && m_records.dataset() == dataset && m_records.rowOf(key) >= 0)
        return UserError::make(QStringLiteral("editor.key.exists"),
                               tr("A record “%1” exists already").arg(key), {},
                               tr("Choose another key, or edit that record"));
    return m_workspace.checkValue(dataset, key, value);
}

void RecordOperations::recordEdited(const DatasetWorkspace::Change &change)
{
    stackFor(change.dataset)->push(new EditValueCommand(m_workspace, change, m_report));
}

void RecordOperations::add(const QString &dataset, std::function<void(const QString &)> added)
{
    if (dataset.isEmpty())
        return;
    auto *dialog = new RecordEditDialog(
        RecordEditDialog::Mode::Add,
        [this, dataset](const QString &key, const QString &value) {
            return checkNewRecord(dataset, key, value);
        },
        [this, dataset, added](const QString &key, const QString &value) {
            const auto result = m_workspace.setValue(dataset, key, value);
            if (!result.ok())
                return result.error;
            stackFor(dataset)->push(new AddRecordCommand(m_workspace, result.value, m_report));
            added(key);
            return UserError();
        },
        m_parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void RecordOperations::edit(const QString &dataset, const QString &key)
{
    const int row = m_records.rowOf(key);
    if (dataset.isEmpty() || row < 0)
        return;
    auto *dialog = new RecordEditDialog(
        RecordEditDialog::Mode::Edit,
        [this, dataset](const QString &k, const QString &value) {
            return m_workspace.checkValue(dataset, k, value);
        },
        [this, dataset, key](const QString &, const QString &value) {
            const auto record = m_workspace.store().record(dataset, key);
            if (record.ok() && (!record.value || record.value->record.isRemoved()))
                return UserError::make(QStringLiteral("editor.record.gone"),
                                       tr("The record “%1” is gone").arg(key),
                                       tr("It was deleted meanwhile, perhaps by a synchronization"),
                                       tr("Add it again if you still need it"));
            const auto result = m_workspace.setValue(dataset, key, value);
            if (!result.ok())
                return result.error;
            stackFor(dataset)->push(new EditValueCommand(m_workspace, result.value, m_report));
            return UserError();
        },
        m_parent);
    dialog->setRecord(key, m_records.recordAt(row).record.value.value_or(QString()));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void RecordOperations::remove(const QString &dataset, const QStringList &keys)
{
    if (dataset.isEmpty() || keys.isEmpty())
        return;
    QUndoStack *stack = stackFor(dataset);
    if (keys.size() > 1)
        stack->beginMacro(tr("Delete %1 records").arg(keys.size()));
    for (const QString &key : keys) {
        const auto result = m_workspace.removeValue(dataset, key);
        if (!result.ok()) {
            m_report(result.error);
            break;
        }
        stack->push(new DeleteRecordCommand(m_workspace, result.value, m_report));
    }
    if (keys.size() > 1)
        stack->endMacro();
}

} // namespace fedsync::ui
