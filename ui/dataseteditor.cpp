#include "dataseteditor.h"
#include "ui_dataseteditor.h"

#include "addrecordcommand.h"
#include "datasetlistmodel.h"
#include "deleterecordcommand.h"
#include "editvaluecommand.h"
#include "log/logcategories.h"
#include "messagebanner.h"
#include "recordeditdialog.h"
#include "recordtablemodel.h"
#include "sync/datasetjson.h"
#include "sync/syncengine.h"

#include <QAction>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QTime>
#include <QUndoGroup>
#include <QUndoStack>

namespace fedsync::ui {

namespace {

QString phaseText(SyncPhase phase)
{
    switch (phase) {
    case SyncPhase::DeletingRemote:
        return DatasetEditor::tr("deleting on the server");
    case SyncPhase::Pulling:
        return DatasetEditor::tr("receiving changes");
    case SyncPhase::Merging:
        return DatasetEditor::tr("saving received changes");
    case SyncPhase::WaitingForResolution:
        return DatasetEditor::tr("waiting for your decision on conflicts");
    case SyncPhase::Pushing:
        return DatasetEditor::tr("sending changes");
    }
    return {};
}

} // namespace

DatasetEditor::DatasetEditor(LocalStore &store, SyncEngine &engine, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::DatasetEditor>())
    , m_engine(engine)
    , m_workspace(store, engine)
    , m_prompts(EditorPrompts::dialogs())
    , m_records(new RecordTableModel(m_workspace, this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_datasets(new DatasetListModel(m_workspace, this))
    , m_undo(new QUndoGroup(this))
    , m_offlineBanner(new MessageBanner(this))
    , m_errorBanner(new MessageBanner(this))
{
    m_ui->setupUi(this);
    m_offlineBanner->setObjectName(QStringLiteral("offlineBanner"));
    m_offlineBanner->setActionText(tr("Try again"));
    m_offlineBanner->setClosable(false);
    m_errorBanner->setObjectName(QStringLiteral("errorBanner"));
    m_ui->bannerArea->addWidget(m_offlineBanner);
    m_ui->bannerArea->addWidget(m_errorBanner);
    connect(m_offlineBanner, &MessageBanner::actionTriggered, this, [this] {
        if (!m_syncing)
            syncNow();
    });

    m_ui->datasetView->setModel(m_datasets);
    m_ui->datasetView->header()->setSectionResizeMode(DatasetListModel::NameColumn, QHeaderView::Stretch);
    m_ui->datasetView->header()->setStretchLastSection(false);
    m_ui->datasetView->header()->setSectionResizeMode(DatasetListModel::RecordsColumn,
                                                      QHeaderView::ResizeToContents);
    m_ui->datasetView->header()->setSectionResizeMode(DatasetListModel::SizeColumn,
                                                      QHeaderView::ResizeToContents);

    m_filter->setSourceModel(m_records);
    m_filter->setFilterRole(RecordTableModel::SearchRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_ui->recordView->setModel(m_filter);
    m_ui->recordView->sortByColumn(RecordTableModel::KeyColumn, Qt::AscendingOrder);
    m_ui->recordView->verticalHeader()->hide();
    m_ui->recordView->horizontalHeader()->setSectionResizeMode(RecordTableModel::ValueColumn,
                                                               QHeaderView::Stretch);
    m_ui->recordView->setColumnWidth(RecordTableModel::KeyColumn, 160);
    m_ui->recordView->horizontalHeader()->setSectionResizeMode(RecordTableModel::ModifiedColumn,
                                                               QHeaderView::ResizeToContents);
    m_ui->recordView->horizontalHeader()->setSectionResizeMode(RecordTableModel::StateColumn,
                                                               QHeaderView::ResizeToContents);
    m_ui->filterEdit->setPlaceholderText(tr("Filter by key or value (Ctrl+F)"));
    connect(m_ui->filterEdit, &QLineEdit::textChanged, m_filter,
            &QSortFilterProxyModel::setFilterFixedString);
    m_ui->splitter->setStretchFactor(1, 3);
    m_ui->splitter->setSizes({300, 600});

    m_ui->sizeMeter->setRange(0, int(LocalStore::MaxDatasetBytes));
    m_ui->recordMeter->setRange(0, LocalStore::MaxRecordsPerDataset);
    m_ui->syncProgress->hide();

    setUpActions();
    connectEngine();

    connect(m_records, &RecordTableModel::storeError, this, &DatasetEditor::showError);
    connect(m_datasets, &DatasetListModel::storeError, this, &DatasetEditor::showError);
    connect(m_records, &RecordTableModel::edited, this, [this](const DatasetWorkspace::Change &change) {
        stackFor(change.dataset)->push(new EditValueCommand(m_workspace, change, [this](const UserError &e) {
            showError(e);
        }));
    });
    connect(&m_workspace, &DatasetWorkspace::datasetsChanged, this, &DatasetEditor::updateMeters);
    connect(m_ui->datasetView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const QString name =
                    current.isValid() ? current.data(DatasetListModel::NameRole).toString() : QString();
                m_records->setDataset(name);
                m_undo->setActiveStack(name.isEmpty() ? nullptr : stackFor(name));
                updateMeters();
                updateActions();
            });
    // A dataset that disappears (deleted here or elsewhere) takes the selection to a neighbour.
    connect(m_datasets, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (m_datasets->rowOf(m_records->dataset()) < 0)
            setCurrentDataset(m_datasets->rowCount() > 0 ? m_datasets->datasetAt(0).name : QString());
    });
    connect(m_ui->recordView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DatasetEditor::updateActions);
    connect(m_ui->recordView, &QAbstractItemView::activated, this, [this] { editRecord(); });

    m_syncTimer.setInterval(DefaultSyncIntervalMs);
    connect(&m_syncTimer, &QTimer::timeout, this, [this] {
        if (!m_syncing && !m_closing)
            startSync(ConflictPolicy::Ask);
    });
    m_syncTimer.start();
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcUi) << "sync before closing timed out";
        m_engine.cancelAll();
        finishClosing();
    });

    if (m_datasets->rowCount() > 0)
        setCurrentDataset(m_datasets->datasetAt(0).name);
    updateMeters();
    updateActions();
    setStatus(tr("Edits are saved on this computer at once and synchronized every few minutes."));
}

DatasetEditor::~DatasetEditor() = default;

void DatasetEditor::setUpActions()
{
    const auto make = [this](const QString &text, const QString &name, QList<QKeySequence> keys,
                             void (DatasetEditor::*slot)()) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcuts(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        if (!keys.isEmpty())
            action->setToolTip(QStringLiteral("%1 (%2)").arg(
                QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")),
                keys.first().toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_addAction = make(tr("&Add…"), QStringLiteral("actionAddRecord"),
                       QKeySequence::keyBindings(QKeySequence::New), &DatasetEditor::addRecord);
    m_editAction = make(tr("&Edit…"), QStringLiteral("actionEditRecord"), {QKeySequence(Qt::Key_F2)},
                        &DatasetEditor::editRecord);
    m_deleteAction = make(tr("&Delete"), QStringLiteral("actionDeleteRecord"),
                          QKeySequence::keyBindings(QKeySequence::Delete), &DatasetEditor::deleteRecords);
    // Delete acts on the selected records only while the table has the focus (not in the dataset list).
    m_deleteAction->setShortcutContext(Qt::WidgetShortcut);
    m_ui->recordView->addAction(m_deleteAction);
    m_newDatasetAction =
        make(tr("&New dataset…"), QStringLiteral("actionNewDataset"), {}, &DatasetEditor::newDataset);
    m_deleteDatasetAction =
        make(tr("Delete dataset…"), QStringLiteral("actionDeleteDataset"), {}, &DatasetEditor::deleteDataset);
    m_importAction = make(tr("&Import…"), QStringLiteral("actionImport"), {}, &DatasetEditor::importJson);
    m_exportAction = make(tr("E&xport…"), QStringLiteral("actionExport"), {}, &DatasetEditor::exportJson);
    QList<QKeySequence> syncKeys = QKeySequence::keyBindings(QKeySequence::Refresh);
    syncKeys << QKeySequence(Qt::CTRL | Qt::Key_S);
    m_syncAction = make(tr("&Sync now"), QStringLiteral("actionSync"), syncKeys, &DatasetEditor::syncNow);

    auto *find = new QAction(tr("Find"), this);
    find->setObjectName(QStringLiteral("actionFind"));
    find->setShortcuts(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] {
        m_ui->filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->filterEdit->selectAll();
    });
    addAction(find);

    QAction *undo = m_undo->createUndoAction(this, tr("Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcuts(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(undo);
    QAction *redo = m_undo->createRedoAction(this, tr("Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcuts(QKeySequence::Redo);
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(redo);

    m_ui->addButton->setDefaultAction(m_addAction);
    m_ui->editButton->setDefaultAction(m_editAction);
    m_ui->deleteButton->setDefaultAction(m_deleteAction);
    m_ui->undoButton->setDefaultAction(undo);
    m_ui->redoButton->setDefaultAction(redo);
    m_ui->newDatasetButton->setDefaultAction(m_newDatasetAction);
    m_ui->deleteDatasetButton->setDefaultAction(m_deleteDatasetAction);
    m_ui->importButton->setDefaultAction(m_importAction);
    m_ui->exportButton->setDefaultAction(m_exportAction);
    m_ui->syncButton->setText(m_syncAction->text());
    connect(m_ui->syncButton, &QPushButton::clicked, m_syncAction, &QAction::trigger);
}

void DatasetEditor::connectEngine()
{
    connect(&m_engine, &SyncEngine::progress, this,
            [this](const QString &dataset, SyncPhase phase, int done, int total) {
                if (!m_syncing)
                    return;
                m_ui->syncProgress->setRange(0, std::max(total, 0));
                m_ui->syncProgress->setValue(total > 0 ? done : 0);
                setStatus(tr("Synchronizing “%1”: %2…").arg(dataset, phaseText(phase)));
            });
    connect(&m_engine, &SyncEngine::conflictsFound, this,
            [this](const QString &dataset, const QList<SyncConflict> &conflicts) {
                if (!m_syncing || m_closing)
                    return; // a Report run (closing): the conflicts come back at the next sync
                m_conflictQueue.append({dataset, conflicts});
                // The engine starts waiting only after this signal: ask once it does.
                QTimer::singleShot(0, this, &DatasetEditor::showNextConflicts);
            });
    connect(&m_engine, &SyncEngine::remoteUnavailable, this,
            [this](const QString &dataset, const UserError &error) {
                m_unavailable.insert(dataset);
                m_offlineBanner->showMessage(MessageBanner::Kind::Warning,
                                             tr("<b>Working offline.</b> %1. Your edits are kept on this "
                                                "computer and will be synchronized when "
                                                "the server can be reached again.")
                                                 .arg(error.what.toHtmlEscaped()));
            });
    connect(&m_engine, &SyncEngine::failed, this, [this](const QString &dataset, const UserError &error) {
        if (m_unavailable.remove(dataset))
            return; // the offline banner says it
        if (!m_closing)
            showError(error);
    });
    connect(&m_engine, &SyncEngine::finished, this, [this](const QString &dataset, const SyncReport &report) {
        m_offlineBanner->hide(); // the server answered
        if (report.unresolved > 0)
            setStatus(tr("Conflicts left for later in “%1”: %2. Your values are kept here.")
                          .arg(dataset)
                          .arg(report.unresolved));
    });
    connect(&m_engine, &SyncEngine::datasetDeletedRemotely, this, [this](const QString &dataset, bool kept) {
        m_errorBanner->showMessage(
            MessageBanner::Kind::Information,
            kept ? tr("The dataset “%1” was deleted elsewhere. Your unsynchronized edits were "
                      "kept and saved to the server as a new dataset.")
                       .arg(dataset.toHtmlEscaped())
                 : tr("The dataset “%1” was deleted elsewhere.").arg(dataset.toHtmlEscaped()));
    });
    connect(&m_engine, &SyncEngine::allFinished, this, [this](int, int failedCount) {
        if (!m_syncing)
            return;
        m_syncing = false;
        const bool cancelled = m_cancelRequested;
        m_ui->syncProgress->hide();
        m_ui->syncButton->setText(m_syncAction->text());
        m_conflictQueue.clear();
        if (failedCount == 0)
            setStatus(tr("Synchronized at %1.")
                          .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
        else if (cancelled)
            setStatus(tr("Synchronization cancelled. Your edits are kept and will be sent next time."));
        else
            setStatus(
                tr("Datasets not synchronized: %1. Your edits are kept on this computer.").arg(failedCount));
        updateActions();
        if (m_closing)
            finishClosing();
        else
            Q_EMIT syncFinished(failedCount == 0);
    });
}

QString DatasetEditor::currentDataset() const
{
    return m_records->dataset();
}

void DatasetEditor::setCurrentDataset(const QString &name)
{
    const int row = m_datasets->rowOf(name);
    if (row < 0) {
        m_ui->datasetView->setCurrentIndex({});
        m_records->setDataset({});
        m_undo->setActiveStack(nullptr);
        updateMeters();
        updateActions();
        return;
    }
    m_ui->datasetView->setCurrentIndex(m_datasets->index(row, 0));
}

QUndoStack *DatasetEditor::stackFor(const QString &dataset)
{
    QUndoStack *&stack = m_stacks[dataset];
    if (!stack)
        stack = new QUndoStack(m_undo);
    return stack;
}

void DatasetEditor::setStatus(const QString &text)
{
    m_ui->syncStatus->setTextFormat(Qt::PlainText); // may quote a server's error
    m_ui->syncStatus->setText(text);
    Q_EMIT statusMessage(text);
}

void DatasetEditor::showError(const UserError &error)
{
    qCInfo(lcUi) << "editor error:" << error.code;
    m_errorBanner->showError(error);
}

void DatasetEditor::updateMeters()
{
    const QString name = currentDataset();
    const auto info =
        name.isEmpty() ? StoreResult<std::optional<LocalDataset>>() : m_workspace.store().dataset(name);
    const qint64 bytes = info.value ? info.value->storageSizeBytes : 0;
    const qint64 count = info.value ? info.value->recordCount : 0;
    m_ui->sizeMeter->setValue(int(std::min(bytes, LocalStore::MaxDatasetBytes)));
    m_ui->sizeMeter->setFormat(tr("%1 of 1 MB").arg(DatasetListModel::formatSize(bytes)));
    m_ui->recordMeter->setValue(int(std::min<qint64>(count, LocalStore::MaxRecordsPerDataset)));
    m_ui->recordMeter->setFormat(tr("%1 of %2").arg(count).arg(LocalStore::MaxRecordsPerDataset));
    m_ui->sizeMeter->setToolTip(
        tr("%1 bytes of the %2 a dataset may hold").arg(bytes).arg(LocalStore::MaxDatasetBytes));
}

void DatasetEditor::updateActions()
{
    const bool hasDataset = !currentDataset().isEmpty();
    const int selected = int(selectedKeys().size());
    m_addAction->setEnabled(hasDataset);
    m_editAction->setEnabled(selected == 1);
    m_deleteAction->setEnabled(selected > 0);
    m_deleteDatasetAction->setEnabled(hasDataset);
    m_importAction->setEnabled(true);
    m_exportAction->setEnabled(hasDataset);
    m_ui->syncButton->setText(m_syncing ? tr("Cancel") : m_syncAction->text());
    m_ui->syncButton->setToolTip(m_syncing ? tr("Stop synchronizing; your edits stay pending")
                                           : m_syncAction->toolTip());
}

QStringList DatasetEditor::selectedKeys() const
{
    QStringList keys;
    const QModelIndexList rows =
        m_ui->recordView->selectionModel()->selectedRows(RecordTableModel::KeyColumn);
    for (const QModelIndex &index : rows)
        keys << index.data(RecordTableModel::KeyRole).toString();
    return keys;
}

void DatasetEditor::selectKey(const QString &key)
{
    const int row = m_records->rowOf(key);
    if (row < 0)
        return;
    const QModelIndex index = m_filter->mapFromSource(m_records->index(row, RecordTableModel::KeyColumn));
    if (!index.isValid())
        return;
    m_ui->recordView->setCurrentIndex(index);
    m_ui->recordView->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_ui->recordView->scrollTo(index);
}

UserError DatasetEditor::checkNewRecord(const QString &key, const QString &value) const
{
    if (!key.isEmpty() && m_records->rowOf(key) >= 0)
        return UserError::make(QStringLiteral("editor.key.exists"),
                               tr("A record “%1” exists already").arg(key), {},
                               tr("Choose another key, or edit that record"));
    return m_workspace.checkValue(currentDataset(), key, value);
}

void DatasetEditor::addRecord()
{
    const QString dataset = currentDataset();
    if (dataset.isEmpty())
        return;
    auto *dialog = new RecordEditDialog(
        RecordEditDialog::Mode::Add,
        [this](const QString &key, const QString &value) { return checkNewRecord(key, value); },
        [this, dataset](const QString &key, const QString &value) {
            const auto result = m_workspace.setValue(dataset, key, value);
            if (!result.ok())
                return result.error;
            stackFor(dataset)->push(new AddRecordCommand(m_workspace, result.value,
                                                         [this](const UserError &e) { showError(e); }));
            selectKey(key);
            return UserError();
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void DatasetEditor::editRecord()
{
    const QStringList keys = selectedKeys();
    if (keys.size() != 1)
        return;
    const QString dataset = currentDataset();
    const QString key = keys.first();
    const int row = m_records->rowOf(key);
    if (row < 0)
        return;
    auto *dialog = new RecordEditDialog(
        RecordEditDialog::Mode::Edit,
        [this, dataset](const QString &k, const QString &value) {
            return m_workspace.checkValue(dataset, k, value);
        },
        [this, key](const QString &, const QString &value) {
            const int current = m_records->rowOf(key);
            if (current < 0)
                return UserError::make(QStringLiteral("editor.record.gone"),
                                       tr("The record “%1” is gone").arg(key),
                                       tr("It was deleted meanwhile, perhaps by a synchronization"),
                                       tr("Add it again if you still need it"));
            const auto result = m_workspace.setValue(currentDataset(), key, value);
            if (!result.ok())
                return result.error;
            stackFor(result.value.dataset)
                ->push(new EditValueCommand(m_workspace, result.value,
                                            [this](const UserError &e) { showError(e); }));
            return UserError();
        },
        this);
    dialog->setRecord(key, m_records->recordAt(row).record.value.value_or(QString()));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void DatasetEditor::deleteRecords()
{
    const QString dataset = currentDataset();
    const QStringList keys = selectedKeys();
    if (dataset.isEmpty() || keys.isEmpty())
        return;
    QUndoStack *stack = stackFor(dataset);
    if (keys.size() > 1)
        stack->beginMacro(tr("Delete %1 records").arg(keys.size()));
    for (const QString &key : keys) {
        const auto result = m_workspace.removeValue(dataset, key);
        if (!result.ok()) {
            showError(result.error);
            break;
        }
        stack->push(
            new DeleteRecordCommand(m_workspace, result.value, [this](const UserError &e) { showError(e); }));
    }
    if (keys.size() > 1)
        stack->endMacro();
}

void DatasetEditor::newDataset()
{
    m_prompts.askText(this, tr("New dataset"),
                      tr("Name (1 to %1 letters, digits and _ . : -):").arg(LocalStore::MaxDatasetNameLength),
                      [this](const QString &name) {
                          if (name.isEmpty())
                              return;
                          if (const UserError error = m_workspace.createDataset(name); error.isError())
                              return showError(error);
                          setCurrentDataset(name);
                      });
}

void DatasetEditor::deleteDataset()
{
    const QString dataset = currentDataset();
    if (dataset.isEmpty())
        return;
    m_prompts.confirm(this, tr("Delete dataset"),
                      tr("Delete the dataset “%1” (records: %2) on this computer and, at the next "
                         "synchronization, on the server and your other devices? This cannot be undone.")
                          .arg(dataset)
                          .arg(m_records->rowCount()),
                      [this, dataset](bool yes) {
                          if (!yes)
                              return;
                          if (const UserError error = m_workspace.deleteDataset(dataset); error.isError())
                              return showError(error);
                          delete m_stacks.take(dataset);
                      });
}

void DatasetEditor::importJson()
{
    m_prompts.openFile(this, tr("Import records"), [this](const QString &path) {
        if (path.isEmpty())
            return;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return showError(UserError::make(QStringLiteral("editor.import.read"),
                                             tr("The file %1 could not be read").arg(path),
                                             file.errorString(), tr("Check the file and try again")));
        const auto document = DatasetJson::read(file.readAll());
        if (!document.ok())
            return showError(document.error);
        QString dataset = currentDataset();
        if (dataset.isEmpty())
            dataset = document.value.dataset;
        if (dataset.isEmpty())
            return showError(UserError::make(QStringLiteral("editor.import.noDataset"),
                                             tr("The file does not say which dataset it belongs to"), {},
                                             tr("Create or choose a dataset first, then import into it")));
        if (const UserError error = m_workspace.putValues(dataset, document.value.records); error.isError())
            return showError(error);
        // Undo steps recorded before the import would now restore values it replaced: start afresh.
        stackFor(dataset)->clear();
        setCurrentDataset(dataset);
        setStatus(tr("Records imported into “%1”: %2.").arg(dataset).arg(document.value.records.size()));
    });
}

void DatasetEditor::exportJson()
{
    const QString dataset = currentDataset();
    if (dataset.isEmpty())
        return;
    m_prompts.saveFile(this, tr("Export “%1”").arg(dataset), dataset + QStringLiteral(".json"),
                       [this, dataset](const QString &path) {
                           if (path.isEmpty())
                               return;
                           const auto records = m_workspace.store().records(dataset);
                           if (!records.ok())
                               return showError(records.error);
                           QSaveFile file(path);
                           if (!file.open(QIODevice::WriteOnly) ||
                               file.write(DatasetJson::write(dataset, records.value)) < 0 || !file.commit())
                               return showError(UserError::make(
                                   QStringLiteral("editor.export.write"),
                                   tr("The file %1 could not be written").arg(path), file.errorString(),
                                   tr("Choose another folder and try again")));
                           setStatus(tr("Exported “%1” to %2.").arg(dataset, path));
                       });
}

void DatasetEditor::syncNow()
{
    if (m_closing)
        return;
    if (m_syncing)
        return cancelSync();
    startSync(ConflictPolicy::Ask);
}

void DatasetEditor::startSync(ConflictPolicy policy)
{
    m_syncing = true;
    m_cancelRequested = false;
    m_unavailable.clear();
    m_errorBanner->hide();
    m_ui->syncProgress->setRange(0, 0);
    m_ui->syncProgress->show();
    setStatus(tr("Synchronizing…"));
    updateActions();
    m_engine.synchronizeAll(policy);
}

void DatasetEditor::cancelSync()
{
    if (!m_syncing)
        return;
    m_cancelRequested = true;
    m_engine.cancelAll();
}

void DatasetEditor::setSyncInterval(int milliseconds)
{
    if (milliseconds <= 0) {
        m_syncTimer.stop();
        return;
    }
    m_syncTimer.start(milliseconds);
}

int DatasetEditor::syncInterval() const
{
    return m_syncTimer.isActive() ? m_syncTimer.interval() : 0;
}

void DatasetEditor::showNextConflicts()
{
    if (m_askingConflicts || m_conflictQueue.isEmpty())
        return;
    const auto [dataset, conflicts] = m_conflictQueue.takeFirst();
    if (!m_engine.isWaitingForResolution(dataset))
        return showNextConflicts();
    m_askingConflicts = true;
    m_prompts.resolveConflicts(this, dataset, conflicts,
                               [this, dataset](const std::optional<QList<ConflictResolution>> &resolutions) {
                                   m_askingConflicts = false;
                                   if (resolutions)
                                       m_engine.resolveConflicts(dataset, *resolutions);
                                   else
                                       m_engine.cancel(dataset); // the edits stay pending
                                   QTimer::singleShot(0, this, &DatasetEditor::showNextConflicts);
                               });
}

bool DatasetEditor::hasPendingChanges() const
{
    const auto datasets = m_workspace.store().listDatasets();
    if (!datasets.ok())
        return false;
    for (const LocalDataset &dataset : datasets.value) {
        if (dataset.isPendingDelete())
            return true;
        const auto dirty = m_workspace.store().dirtyRecords(dataset.name);
        if (dirty.ok() && !dirty.value.isEmpty())
            return true;
    }
    return false;
}

void DatasetEditor::syncBeforeClose(int timeoutMs)
{
    if (m_closing)
        return;
    m_syncTimer.stop();
    if (m_syncing)
        cancelSync(); // an Ask run could wait for a decision nobody will make now
    m_closing = true;
    if (!hasPendingChanges()) {
        QTimer::singleShot(0, this, &DatasetEditor::finishClosing);
        return;
    }
    m_closeTimer.start(timeoutMs);
    startSync(ConflictPolicy::Report);
    setStatus(tr("Synchronizing before closing…"));
}

void DatasetEditor::finishClosing()
{
    if (m_closeSignalled)
        return;
    m_closeSignalled = true;
    m_closeTimer.stop();
    Q_EMIT readyToClose();
}

} // namespace fedsync::ui
