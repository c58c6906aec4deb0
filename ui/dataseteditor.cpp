#include "dataseteditor.h"
#include "ui_dataseteditor.h"

#include "datasetlistmodel.h"
#include "datasetoperations.h"
#include "log/logcategories.h"
#include "messagebanner.h"
#include "recordoperations.h"
#include "recordtablemodel.h"
#include "syncpresenter.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QUndoGroup>
#include <QUndoStack>

namespace fedsync::ui {

DatasetEditor::DatasetEditor(SyncController &sync, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::DatasetEditor>())
    , m_sync(sync)
    , m_workspace(sync.store(), sync.engine())
    , m_prompts(EditorPrompts::dialogs())
    , m_records(new RecordTableModel(m_workspace, this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_datasets(new DatasetListModel(m_workspace, this))
    , m_undo(new QUndoGroup(this))
    , m_offlineBanner(new MessageBanner(this))
    , m_errorBanner(new MessageBanner(this))
    , m_operations(new RecordOperations(m_workspace, *m_records, *m_undo, this,
                                        [this](const UserError &e) { showError(e); }))
    , m_datasetOperations(new DatasetOperations(m_workspace, m_prompts, *m_records, *m_operations, this))
{
    m_ui->setupUi(this);
    m_offlineBanner->setObjectName(QStringLiteral("offlineBanner"));
    m_errorBanner->setObjectName(QStringLiteral("errorBanner"));
    m_ui->bannerArea->addWidget(m_offlineBanner);
    m_ui->bannerArea->addWidget(m_errorBanner);
    m_ui->layout->setStretchFactor(m_ui->splitter, 1); // the lists, not the banners, take the height
    setUpViews();
    setUpActions();
    m_presenter = new SyncPresenter(m_sync, m_prompts,
                                    {this, m_syncAction, m_ui->syncButton, m_ui->syncProgress,
                                     m_ui->syncStatus, m_offlineBanner, m_errorBanner},
                                    this);
    connect(m_presenter, &SyncPresenter::statusMessage, this, &DatasetEditor::statusMessage);
    connect(&m_sync, &SyncController::started, this, &DatasetEditor::updateActions);
    connect(&m_sync, &SyncController::finished, this, [this](const SyncOutcome &outcome) {
        updateActions();
        Q_EMIT syncFinished(outcome.ok());
    });
    connect(&m_sync, &SyncController::readyToClose, this, &DatasetEditor::readyToClose);

    connect(m_datasetOperations, &DatasetOperations::datasetChosen, this, &DatasetEditor::setCurrentDataset);
    connect(m_datasetOperations, &DatasetOperations::statusMessage, this, &DatasetEditor::setStatus);
    connect(m_datasetOperations, &DatasetOperations::failed, this, &DatasetEditor::showError);
    connect(m_datasetOperations, &DatasetOperations::importRunningChanged, this,
            &DatasetEditor::updateActions);
    connect(m_records, &RecordTableModel::storeError, this, &DatasetEditor::showError);
    connect(m_datasets, &DatasetListModel::storeError, this, &DatasetEditor::showError);
    connect(m_records, &RecordTableModel::edited, this,
            [this](const DatasetWorkspace::Change &change) { m_operations->recordEdited(change); });
    connect(&m_workspace, &DatasetWorkspace::datasetsChanged, this, &DatasetEditor::updateMeters);
    connect(m_ui->datasetView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showDataset(current.isValid() ? current.data(DatasetListModel::NameRole).toString()
                                              : QString());
            });
    // A dataset that disappears (deleted here or elsewhere) takes the selection to a neighbour.
    connect(m_datasets, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (m_datasets->rowOf(m_records->dataset()) < 0)
            setCurrentDataset(m_datasets->rowCount() > 0 ? m_datasets->datasetAt(0).name : QString());
    });
    // Removed records (Delete, or a synchronization) take the selection to the row that took their place,
    // so Edit and Delete stay at hand.
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex &, int first) {
        if (!selectedKeys().isEmpty() || m_filter->rowCount() == 0)
            return;
        selectRow(m_filter->index(std::min(first, m_filter->rowCount() - 1), 0));
    });
    connect(m_ui->recordView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DatasetEditor::updateActions);
    connect(m_ui->recordView, &QAbstractItemView::activated, this, [this] { editRecord(); });

    if (m_datasets->rowCount() > 0)
        setCurrentDataset(m_datasets->datasetAt(0).name);
    updateMeters();
    updateActions();
    setStatus(tr("Edits are saved on this computer at once and synchronized every few minutes."));
}

void DatasetEditor::setUpViews()
{
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
    m_ui->recordView->setColumnWidth(RecordTableModel::KeyColumn, 140);
    m_ui->recordView->horizontalHeader()->setSectionResizeMode(RecordTableModel::ModifiedColumn,
                                                               QHeaderView::ResizeToContents);
    m_ui->recordView->horizontalHeader()->setSectionResizeMode(RecordTableModel::StateColumn,
                                                               QHeaderView::ResizeToContents);
    // Tab moves between the editor's parts (arrows move within a view), so every button is reachable.
    m_ui->recordView->setTabKeyNavigation(false);
    m_ui->datasetView->setTabKeyNavigation(false);
    m_ui->filterEdit->setMinimumWidth(120);
    m_ui->filterEdit->setPlaceholderText(tr("Filter by key or value (Ctrl+F)"));
    connect(m_ui->filterEdit, &QLineEdit::textChanged, m_filter,
            &QSortFilterProxyModel::setFilterFixedString);
    m_ui->splitter->setStretchFactor(1, 3);
    m_ui->splitter->setSizes({220, 680});

    m_ui->sizeMeter->setRange(0, int(LocalStore::MaxDatasetBytes));
    m_ui->recordMeter->setRange(0, LocalStore::MaxRecordsPerDataset);
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

    m_ui->addButton->setDefaultAction(m_addAction);
    m_ui->editButton->setDefaultAction(m_editAction);
    m_ui->deleteButton->setDefaultAction(m_deleteAction);
    // The buttons say only "Undo"/"Redo" (what they undo is in the tooltip): a long key must not widen
    // the window.
    for (const bool isUndo : {true, false}) {
        const QString text = isUndo ? tr("Undo") : tr("Redo");
        QAction *action =
            isUndo ? m_undo->createUndoAction(this, text) : m_undo->createRedoAction(this, text);
        action->setObjectName(isUndo ? QStringLiteral("actionUndo") : QStringLiteral("actionRedo"));
        action->setShortcuts(isUndo ? QKeySequence::Undo : QKeySequence::Redo);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
        QToolButton *button = isUndo ? m_ui->undoButton : m_ui->redoButton;
        button->setText(text);
        connect(button, &QToolButton::clicked, action, &QAction::trigger);
        connect(action, &QAction::changed, button, [button, action] {
            button->setEnabled(action->isEnabled());
            button->setToolTip(action->text());
        });
        button->setEnabled(action->isEnabled());
    }
    m_ui->newDatasetButton->setDefaultAction(m_newDatasetAction);
    m_ui->deleteDatasetButton->setDefaultAction(m_deleteDatasetAction);
    m_ui->importButton->setDefaultAction(m_importAction);
    m_ui->exportButton->setDefaultAction(m_exportAction);
}

QString DatasetEditor::currentDataset() const
{
    return m_records->dataset();
}

void DatasetEditor::setCurrentDataset(const QString &name)
{
    const int row = m_datasets->rowOf(name);
    m_ui->datasetView->setCurrentIndex(row < 0 ? QModelIndex() : m_datasets->index(row, 0));
    if (row < 0)
        showDataset({}); // no row change is signalled when there was no current row either
}

void DatasetEditor::showDataset(const QString &name)
{
    m_records->setDataset(name);
    m_undo->setActiveStack(name.isEmpty() ? nullptr : m_operations->stackFor(name));
    updateMeters();
    updateActions();
}

void DatasetEditor::setStatus(const QString &text)
{
    m_presenter->setStatus(text);
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
    m_importAction->setEnabled(!m_workspace.isWritingInBackground()); // one import at a time
    m_exportAction->setEnabled(hasDataset);
    m_presenter->updateButton();
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
    if (index.isValid())
        selectRow(index);
}

void DatasetEditor::selectRow(const QModelIndex &index)
{
    m_ui->recordView->setCurrentIndex(index);
    m_ui->recordView->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_ui->recordView->scrollTo(index);
}

void DatasetEditor::addRecord()
{
    m_operations->add(currentDataset(), [this](const QString &key) { selectKey(key); });
}

void DatasetEditor::editRecord()
{
    const QStringList keys = selectedKeys();
    if (keys.size() == 1)
        m_operations->edit(currentDataset(), keys.first());
}

void DatasetEditor::deleteRecords()
{
    m_operations->remove(currentDataset(), selectedKeys());
}

void DatasetEditor::newDataset()
{
    m_datasetOperations->create();
}

void DatasetEditor::deleteDataset()
{
    m_datasetOperations->removeCurrent();
}

void DatasetEditor::importJson()
{
    m_datasetOperations->importFile();
}

void DatasetEditor::exportJson()
{
    m_datasetOperations->exportCurrent();
}

void DatasetEditor::syncNow()
{
    if (m_sync.isSyncing())
        return m_sync.cancel(); // the one button starts and stops
    m_sync.syncNow();
}

void DatasetEditor::syncBeforeClose(int timeoutMs)
{
    m_sync.syncBeforeClose(timeoutMs);
    if (m_sync.isSyncing())
        setStatus(tr("Synchronizing before closing…"));
}

} // namespace fedsync::ui
