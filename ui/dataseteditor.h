// The dataset editor: datasets on the left, the chosen dataset's records on the right, with undo/redo,
// a filter, size meters, JSON import/export, and synchronization (Sync now with progress and Cancel, a
// periodic sync, a sync before closing, conflicts settled in ConflictDialog). Every edit is saved in
// the local store at once; the network only ever sees what the store holds. Problems show inline: an
// offline banner while the server cannot be reached, an error banner for anything else.
//
// Embedding it (the main window, once signed in):
//     auto *editor = new ui::DatasetEditor(store, engine, this); // store opened, both outlive the editor
//     setCentralWidget(editor); // or add it to a page of a QStackedWidget
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

#include <QHash>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <memory>

class QAction;
class QSortFilterProxyModel;
class QUndoGroup;
class QUndoStack;

namespace Ui {
class DatasetEditor;
}

namespace fedsync {
class SyncEngine;
}

namespace fedsync::ui {

class DatasetListModel;
class MessageBanner;
class RecordTableModel;

class DatasetEditor final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int DefaultSyncIntervalMs = 5 * 60 * 1000;
    static constexpr int DefaultCloseTimeoutMs = 10 * 1000;

    // `store` (opened) and `engine` must outlive the editor.
    DatasetEditor(LocalStore &store, SyncEngine &engine, QWidget *parent = nullptr);
    ~DatasetEditor() override;

    QString currentDataset() const;
    void setCurrentDataset(const QString &name);

    // Starts synchronizing every dataset (conflicts are asked), or cancels the running synchronization.
    void syncNow();
    void cancelSync();
    bool isSyncing() const { return m_syncing; }
    // The periodic synchronization; 0 turns it off.
    void setSyncInterval(int milliseconds);
    int syncInterval() const;
    // Sends what is pending, then emits readyToClose() (later, never from inside this call): when the
    // synchronization ends, fails, or after `timeoutMs`. Conflicts met on the way are left for the next
    // start. Emits readyToClose() at once (queued) when nothing is pending.
    void syncBeforeClose(int timeoutMs = DefaultCloseTimeoutMs);

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
    void connectEngine();
    void startSync(ConflictPolicy policy);
    void selectionChanged();
    void updateMeters();
    void updateActions();
    void showError(const UserError &error);
    void setStatus(const QString &text);
    QUndoStack *stackFor(const QString &dataset);
    QStringList selectedKeys() const;
    void selectKey(const QString &key);
    UserError checkNewRecord(const QString &key, const QString &value) const;
    void showNextConflicts();
    bool hasPendingChanges() const;
    void finishClosing();

    std::unique_ptr<Ui::DatasetEditor> m_ui;
    SyncEngine &m_engine;
    DatasetWorkspace m_workspace;
    EditorPrompts m_prompts;
    RecordTableModel *m_records;
    QSortFilterProxyModel *m_filter;
    DatasetListModel *m_datasets;
    QUndoGroup *m_undo;
    QHash<QString, QUndoStack *> m_stacks;
    MessageBanner *m_offlineBanner;
    MessageBanner *m_errorBanner;

    QAction *m_addAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_newDatasetAction = nullptr;
    QAction *m_deleteDatasetAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_syncAction = nullptr;

    QTimer m_syncTimer;
    QTimer m_closeTimer;
    bool m_syncing = false;
    bool m_cancelRequested = false;
    bool m_askingConflicts = false;
    bool m_closing = false;
    bool m_closeSignalled = false;
    QSet<QString> m_unavailable; // datasets whose last failure was "server unreachable"
    QList<std::pair<QString, QList<SyncConflict>>> m_conflictQueue;
};

} // namespace fedsync::ui
