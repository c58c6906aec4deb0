// The dataset editor: datasets on the left, the chosen dataset's records on the right, with undo/redo,
// a filter, size meters, JSON import/export, and synchronization (Sync now with progress and Cancel, a
// periodic sync, a sync before closing, conflicts settled in ConflictDialog). Every edit is saved in
// the local store at once; the network only ever sees what the store holds. Problems show inline: an
// offline banner while the server cannot be reached, an error banner for anything else.
//
// The editor keeps its views and actions. The record operations (undoable add, edit, delete) are
// RecordOperations'; the dataset operations (new, delete, import, export) DatasetOperations'. The sync
// lifecycle (Sync now, the periodic sync, the sync before closing, conflicts, offline) belongs to the
// SyncController it is given; SyncPresenter shows it in the editor's widgets.
//
// Embedding it (the main window, once signed in):
//     auto *editor = new ui::DatasetEditor(controller, this); // the controller outlives the editor
//     setCentralWidget(editor);
//     connect(editor, &ui::DatasetEditor::statusMessage, statusBar(), [this](const QString &text) {
//         statusBar()->showMessage(text); });
// and in closeEvent(), so edits reach the server before the window goes (without blocking):
//     if (!m_readyToClose && editor) {
//         event->ignore();
//         connect(editor, &ui::DatasetEditor::readyToClose, this, [this] { m_readyToClose = true; close(); },
//                 Qt::SingleShotConnection);
//         editor->syncBeforeClose();
//         return;
//     }
#pragma once

#include "editorprompts.h"
#include "sync/datasetworkspace.h"
#include "usecases/synccontroller.h"

#include <QWidget>

#include <memory>

class QAction;
class QSortFilterProxyModel;
class QUndoGroup;
class QUndoStack;

namespace Ui {
class DatasetEditor;
}

namespace fedsync::ui {

class DatasetListModel;
class DatasetOperations;
class MessageBanner;
class RecordOperations;
class RecordTableModel;
class SyncPresenter;

class DatasetEditor final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int DefaultSyncIntervalMs = SyncController::DefaultIntervalMs;
    static constexpr int DefaultCloseTimeoutMs = SyncController::DefaultCloseTimeoutMs;

    // `sync` (over an opened store) must outlive the editor.
    explicit DatasetEditor(SyncController &sync, QWidget *parent = nullptr);
    ~DatasetEditor() override;

    QString currentDataset() const;
    void setCurrentDataset(const QString &name);

    // Starts synchronizing every dataset (conflicts are asked), or cancels the running synchronization.
    void syncNow();
    void cancelSync() { m_sync.cancel(); }
    bool isSyncing() const { return m_sync.isSyncing(); }
    // The periodic synchronization; 0 turns it off.
    void setSyncInterval(int milliseconds) { m_sync.setInterval(milliseconds); }
    int syncInterval() const { return m_sync.interval(); }
    // See SyncController::syncBeforeClose(); readyToClose() follows.
    void syncBeforeClose(int timeoutMs = DefaultCloseTimeoutMs);
    SyncController &syncController() const { return m_sync; }

    // The questions the editor asks; tests replace members with scripted answers.
    EditorPrompts &prompts() { return m_prompts; }

    // The operations behind the buttons and shortcuts.
    void addRecord();
    void editRecord();
    void deleteRecords();
    void newDataset();
    void deleteDataset();
    void importJson();
    void exportJson();

    // For tests and the main window.
    RecordTableModel *recordModel() const { return m_records; }
    QSortFilterProxyModel *filterModel() const { return m_filter; }
    DatasetListModel *datasetModel() const { return m_datasets; }
    QUndoGroup *undoGroup() const { return m_undo; }
    MessageBanner *offlineBanner() const { return m_offlineBanner; }
    MessageBanner *errorBanner() const { return m_errorBanner; }

Q_SIGNALS:
    // A synchronization started by syncNow() or the timer ended; `ok`: every dataset synchronized.
    void syncFinished(bool ok);
    void readyToClose();
    // A line for the main window's status bar.
    void statusMessage(const QString &text);

private:
    void setUpActions();
    void setUpViews();
    void updateMeters();
    void updateActions();
    void showError(const UserError &error);
    void setStatus(const QString &text);
    QStringList selectedKeys() const;
    void selectKey(const QString &key);
    // Selects (and scrolls to) one row of the record view.
    void selectRow(const QModelIndex &index);
    // Shows `name`'s records, undo stack and meters (empty: none).
    void showDataset(const QString &name);

    std::unique_ptr<Ui::DatasetEditor> m_ui;
    SyncController &m_sync;
    DatasetWorkspace m_workspace;
    EditorPrompts m_prompts;
    RecordTableModel *m_records;
    QSortFilterProxyModel *m_filter;
    DatasetListModel *m_datasets;
    QUndoGroup *m_undo;
    MessageBanner *m_offlineBanner;
    MessageBanner *m_errorBanner;
    RecordOperations *m_operations;
    DatasetOperations *m_datasetOperations;
    SyncPresenter *m_presenter = nullptr;

    QAction *m_addAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_newDatasetAction = nullptr;
    QAction *m_deleteDatasetAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_syncAction = nullptr;
};

} // namespace fedsync::ui
