#include "support/supportconsole.h"

#include "messagebanner.h"
#include "recordtablemodel.h"
#include "session/profilecontext.h"
#include "support/identitycrawler.h"
#include "support/identityindex.h"
#include "support/identitylistmodel.h"
#include "support/supportdirectory.h"
#include "support/supportexport.h"
#include "support/supportworkspace.h"
#include "sync/datasetworkspace.h"
#include "sync/localstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace fedsync::ui {

SupportConsole *SupportConsole::open(ProfileContext &context, QWidget *parent)
{
    UserError error;
    std::unique_ptr<support::SupportSession> session = support::SupportSession::create(
        context, QProcessEnvironment::systemEnvironment(), QDir::homePath(), &error);
    if (!session) {
        auto *box =
            new QMessageBox(QMessageBox::Warning, tr("Support console"), error.what, QMessageBox::Ok, parent);
        box->setInformativeText(error.why + QStringLiteral("\n\n") + error.action);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setWindowModality(Qt::WindowModal);
        box->show();
        return nullptr;
    }
    QString indexPath = qEnvironmentVariable("FEDSYNC_SUPPORT_INDEX");
    if (indexPath.isEmpty())
        indexPath = support::IdentityIndex::defaultPath(session->identityPoolId());
    auto *console = new SupportConsole(std::move(session), indexPath,
                                       support::AuditLog(support::AuditLog::defaultPath()), parent);
    console->setAttribute(Qt::WA_DeleteOnClose);
    console->show();
    return console;
}

SupportConsole::SupportConsole(std::unique_ptr<support::SupportSession> session, QString indexPath,
                               support::AuditLog audit, QWidget *parent)
    : QMainWindow(parent)
    , m_session(std::move(session))
    , m_index(std::make_unique<support::IdentityIndex>(std::move(indexPath)))
    , m_audit(std::move(audit))
    , m_prompts(EditorPrompts::dialogs())
{
    setWindowFlag(Qt::Window);
    setWindowTitle(tr("Fedsync support console — %1").arg(m_session->identityPoolId()));
    const UserError indexError = m_index->open();
    // DynamoDB: the table's card index; Cognito Sync: the local index, crawled on demand.
    m_directory = support::createDirectory(*m_session, m_index.get(), this);
    m_identities = new IdentityListModel(*m_session, indexError.isError() ? nullptr : m_index.get(), this);
    buildUi();
    if (indexError.isError())
        showError(indexError);
    connect(m_identities, &IdentityListModel::fetchFailed, this, &SupportConsole::showError);
    if (auto *crawl = dynamic_cast<support::CrawlIndexDirectory *>(m_directory))
        connect(
            crawl, &support::CrawlIndexDirectory::crawlProgress, this,
            [this](qint64 indexed, qint64 cards, const support::IdentityCrawler::Stats &stats) {
                m_progress->setFormat(tr("Searching the index: %1 identities, %2 with a card (%3 requests)")
                                          .arg(QLocale().toString(indexed), QLocale().toString(cards),
                                               QLocale().toString(stats.requests)));
            });
    m_session->whoAmI([this](const QString &who, const UserError &) {
        statusBar()->showMessage(tr("Working as %1 (%2)").arg(who, m_session->credentialsOrigin()));
    });
}

SupportConsole::~SupportConsole()
{
    m_directory->cancel();
    m_records = nullptr;
}

void SupportConsole::buildUi()
{
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_banner = new MessageBanner(central);
    m_banner->setClosable(true);
    m_banner->hide();
    layout->addWidget(m_banner);

    auto *searchRow = new QHBoxLayout;
    auto *findLabel = new QLabel(tr("&Find:"), central);
    m_kind = new QComboBox(central);
    m_kind->addItem(tr("Email"));
    m_kind->addItem(tr("Auth0 user id"));
    m_kind->addItem(tr("Identity id"));
    m_search = new QLineEdit(central);
    m_search->setPlaceholderText(tr("user@example.com, auth0|…, or us-east-1:…"));
    m_search->setClearButtonEnabled(true);
    findLabel->setBuddy(m_search);
    m_findButton = new QPushButton(tr("F&ind"), central);
    m_browseButton = new QPushButton(tr("&All identities"), central);
    searchRow->addWidget(findLabel);
    searchRow->addWidget(m_kind);
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_findButton);
    searchRow->addWidget(m_browseButton);
    layout->addLayout(searchRow);
    m_progress = new QProgressBar(central);
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(true);
    m_progress->hide();
    layout->addWidget(m_progress);

    auto *splitter = new QSplitter(Qt::Vertical, central);
    m_identityView = new QTableView(splitter);
    m_identityView->setModel(m_identities);
    m_identityView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_identityView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_identityView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_identityView->verticalHeader()->hide();
    m_identityView->horizontalHeader()->setStretchLastSection(true);
    m_identityView->setColumnWidth(IdentityListModel::IdentityColumn, 330);
    m_identityView->setAccessibleName(tr("Identities"));

    auto *detail = new QWidget(splitter);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_details = new QLabel(tr("Choose an identity to see its datasets."), detail);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detailLayout->addWidget(m_details);
    auto *tables = new QSplitter(Qt::Horizontal, detail);
    m_datasets = new QTableWidget(0, 5, tables);
    m_datasets->setHorizontalHeaderLabels(
        {tr("Dataset"), tr("Records"), tr("Size"), tr("Last change"), tr("Last modified by")});
    m_datasets->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_datasets->setSelectionMode(QAbstractItemView::SingleSelection);
    m_datasets->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_datasets->verticalHeader()->hide();
    m_datasets->setAccessibleName(tr("Datasets"));
    m_recordView = new QTableView(tables);
    m_recordView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_recordView->verticalHeader()->hide();
    m_recordView->horizontalHeader()->setStretchLastSection(true);
    m_recordView->setAccessibleName(tr("Records"));
    detailLayout->addWidget(tables, 1);
    auto *buttons = new QHBoxLayout;
    m_reveal = new QCheckBox(tr("Include &values in exports"), detail);
    m_exportJson = new QPushButton(tr("Export &JSON…"), detail);
    m_exportCsv = new QPushButton(tr("Export &CSV…"), detail);
    m_edit = new QPushButton(tr("&Edit as support…"), detail);
    m_edit->setCheckable(true);
    for (QPushButton *button : {m_exportJson, m_exportCsv, m_edit})
        button->setEnabled(false);
    buttons->addWidget(m_reveal);
    buttons->addStretch(1);
    buttons->addWidget(m_exportJson);
    buttons->addWidget(m_exportCsv);
    buttons->addWidget(m_edit);
    detailLayout->addLayout(buttons);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);
    resize(1100, 720);

    connect(m_search, &QLineEdit::returnPressed, this, &SupportConsole::find);
    connect(m_findButton, &QPushButton::clicked, this, &SupportConsole::find);
    connect(m_browseButton, &QPushButton::clicked, this, [this] {
        m_directory->cancel();
        m_progress->hide();
        m_identities->browseAll();
    });
    connect(m_identityView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    openIdentity(m_identities->identityAt(current.row()));
            });
    connect(m_datasets, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row >= 0 && m_datasets->item(row, 0))
            showDataset(m_datasets->item(row, 0)->text());
    });
    connect(m_exportJson, &QPushButton::clicked, this, [this] { exportData(false); });
    connect(m_exportCsv, &QPushButton::clicked, this, [this] { exportData(true); });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        m_edit->setChecked(m_editing); // the state changes only once confirmed
        toggleEditing();
    });
}

void SupportConsole::showError(const UserError &error)
{
    m_banner->showError(error);
    m_banner->show();
    Q_EMIT problem(error);
}

void SupportConsole::find()
{
    const QString text = m_search->text().trimmed();
    if (text.isEmpty())
        return;
    m_banner->hide();
    if (m_kind->currentIndex() == 2) {
        support::describeWithCard(*m_session, text,
                                  [this](const support::FoundIdentity &found, const UserError &error) {
                                      if (error.isError())
                                          return showError(error);
                                      showFound(found);
                                  });
        return;
    }
    support::DirectoryQuery query;
    query.kind = m_kind->currentIndex() == 0 ? support::DirectoryQuery::Kind::Email
                                             : support::DirectoryQuery::Kind::Sub;
    query.value = text;
    m_progress->setFormat(tr("Searching the index…"));
    m_progress->show();
    m_findButton->setEnabled(false);
    m_directory->find(
        query, [this, text](const QList<support::FoundIdentity> &found, const UserError &error) {
            m_progress->hide();
            m_findButton->setEnabled(true);
            if (error.isError())
                return showError(error);
            if (found.isEmpty()) {
                m_banner->showMessage(
                    MessageBanner::Kind::Warning,
                    tr("Nobody found for %1 in the %2. The user may not have signed in with a Fedsync "
                       "that records an identity card: ask for the identity id (Help > About).")
                        .arg(text, m_directory->description()));
                m_banner->show();
                m_identities->showFound({});
                return;
            }
            m_identities->showFound(found);
            m_identityView->selectRow(0);
        });
}

void SupportConsole::showFound(const support::FoundIdentity &found)
{
    m_identities->showFound({found});
    m_identityView->selectRow(0);
}

void SupportConsole::openIdentity(const QString &identityId)
{
    if (identityId == m_identityId && m_workspace)
        return;
    m_identityId = identityId;
    m_editing = false;
    m_edit->setChecked(false);
    m_recordView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_recordView->setModel(nullptr);
    m_records = nullptr;
    m_datasetWorkspace.reset();
    m_workspace.reset();
    m_datasets->setRowCount(0);
    for (QPushButton *button : {m_exportJson, m_exportCsv, m_edit})
        button->setEnabled(false);
    m_details->setText(tr("Loading %1…").arg(identityId));

    m_workspace = std::make_unique<support::SupportWorkspace>(*m_session, identityId, m_audit);
    if (const UserError error = m_workspace->open(); error.isError())
        return showError(error);
    m_datasetWorkspace = std::make_unique<DatasetWorkspace>(m_workspace->store(), m_workspace->engine());
    m_records = new RecordTableModel(*m_datasetWorkspace, m_recordView);
    m_recordView->setModel(m_records);
    m_recordView->setColumnWidth(RecordTableModel::KeyColumn, 160);
    connect(m_records, &RecordTableModel::edited, this, [this](const DatasetWorkspace::Change &change) {
        if (m_editing && m_workspace)
            m_workspace->push(change.dataset);
    });
    connect(m_workspace.get(), &support::SupportWorkspace::written, this, &SupportConsole::written);
    connect(m_workspace.get(), &support::SupportWorkspace::written, this,
            [this](const QString &dataset, const QStringList &keys) {
                statusBar()->showMessage(tr("Saved %1 in %2 of %3 (audited)")
                                             .arg(keys.join(QStringLiteral(", ")), dataset, m_identityId));
                m_records->reload();
            });
    connect(m_workspace.get(), &support::SupportWorkspace::writeFailed, this,
            [this](const QString &, const UserError &error) { showError(error); });
    connect(m_workspace.get(), &support::SupportWorkspace::failed, this, &SupportConsole::showError);

    support::describeWithCard(
        *m_session, identityId,
        [this, identityId](const support::FoundIdentity &found, const UserError &error) {
            if (identityId != m_identityId)
                return;
            if (error.isError())
                return showError(error);
            m_current = found;
            // The card the directory found (a DynamoDB profile's card index) when this read has none.
            for (int row = 0; !m_current.card.isValid() && row < m_identities->rowCount(); ++row) {
                if (m_identities->rowAt(row).identity.identityId == identityId)
                    m_current.card = m_identities->rowAt(row).card;
            }
            m_session->describeIdentityUsage(identityId, [this,
                                                          identityId](const support::IdentityUsage &usage,
                                                                      const UserError &usageError) {
                if (identityId != m_identityId)
                    return;
                QString text = tr("<b>%1</b><br>Linked logins: %2 · created %3 · last modified %4")
                                   .arg(identityId.toHtmlEscaped(),
                                        m_current.identity.logins.join(QStringLiteral(", ")).toHtmlEscaped(),
                                        QLocale().toString(m_current.identity.created.toLocalTime(),
                                                           QLocale::ShortFormat),
                                        QLocale().toString(m_current.identity.lastModified.toLocalTime(),
                                                           QLocale::ShortFormat));
                if (m_current.card.isValid())
                    text += tr("<br>User: %1 &lt;%2&gt; · %3 · last sign-in %4 (Fedsync %5)")
                                .arg(m_current.card.name.toHtmlEscaped(),
                                     m_current.card.email.toHtmlEscaped(), m_current.card.sub.toHtmlEscaped(),
                                     QLocale().toString(m_current.card.lastSignIn.toLocalTime(),
                                                        QLocale::ShortFormat),
                                     m_current.card.appVersion.toHtmlEscaped());
                else
                    text += tr("<br>No identity card: the user is not known by name here.");
                if (!usageError.isError() && usage.recordCount >= 0) // computed from the DynamoDB table
                    text += tr("<br>Usage (in %1): %2 datasets, %3 records, %4 bytes")
                                .arg(m_session->storeDescription().toHtmlEscaped())
                                .arg(usage.datasetCount)
                                .arg(usage.recordCount)
                                .arg(usage.dataStorage);
                else if (!usageError.isError())
                    text +=
                        tr("<br>Usage: %1 datasets, %2 bytes").arg(usage.datasetCount).arg(usage.dataStorage);
                m_details->setText(text);
            });
        });
    m_session->listDatasets(identityId, [this, identityId](const QList<RemoteDataset> &sets,
                                                           const UserError &error) {
        if (identityId != m_identityId)
            return;
        if (error.isError())
            return showError(error);
        m_datasets->setRowCount(int(sets.size()));
        for (int row = 0; row < sets.size(); ++row) {
            const RemoteDataset &set = sets.at(row);
            const QStringList cells{
                set.name, QString::number(set.recordCount), QLocale().formattedDataSize(set.storageSizeBytes),
                QLocale().toString(set.lastModified.toLocalTime(), QLocale::ShortFormat), set.lastModifiedBy};
            for (int column = 0; column < cells.size(); ++column)
                m_datasets->setItem(row, column, new QTableWidgetItem(cells.at(column)));
        }
        m_datasets->resizeColumnsToContents();
        // The records, through the same engine the app uses, with the staff's credentials.
        connect(m_workspace.get(), &support::SupportWorkspace::loaded, this, [this] {
            for (QPushButton *button : {m_exportJson, m_exportCsv, m_edit})
                button->setEnabled(true);
            if (m_datasets->rowCount() > 0 && m_datasets->currentRow() < 0)
                m_datasets->setCurrentCell(0, 0);
            else if (m_datasets->currentRow() >= 0)
                showDataset(m_datasets->item(m_datasets->currentRow(), 0)->text());
            Q_EMIT datasetsLoaded();
        });
        m_workspace->load();
        Q_EMIT identityOpened(identityId);
    });
}

void SupportConsole::showDataset(const QString &dataset)
{
    if (m_records)
        m_records->setDataset(dataset);
}

void SupportConsole::exportData(bool csv)
{
    if (!m_workspace)
        return;
    const bool reveal = m_reveal->isChecked();
    QList<support::DatasetRecords> sets;
    const auto datasets = m_workspace->store().listDatasets();
    for (const LocalDataset &dataset : datasets.value) {
        support::DatasetRecords item{dataset.name, {}};
        for (const LocalRecord &record : m_workspace->store().records(dataset.name).value)
            item.records << record.record;
        sets << item;
    }
    const QByteArray bytes = csv ? support::SupportExport::toCsv(m_identityId, sets, reveal)
                                 : support::SupportExport::toJson(m_identityId, sets, reveal);
    QString suggested = m_identityId;
    suggested.replace(QLatin1Char(':'), QLatin1Char('_'));
    suggested += csv ? QStringLiteral(".csv") : QStringLiteral(".json");
    m_prompts.saveFile(this, csv ? tr("Export as CSV") : tr("Export as JSON"), suggested,
                       [this, bytes](const QString &path) {
                           if (path.isEmpty())
                               return;
                           QFile file(path);
                           if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
                               return showError(UserError::make(
                                   QStringLiteral("support.export.io"), tr("The export could not be written"),
                                   file.errorString(), tr("Choose another folder")));
                           }
                           file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
                           statusBar()->showMessage(tr("Exported to %1").arg(QDir::toNativeSeparators(path)));
                           Q_EMIT exported(path);
                       });
}

void SupportConsole::toggleEditing()
{
    if (!m_workspace)
        return;
    if (m_editing) {
        m_editing = false;
        m_edit->setChecked(false);
        m_recordView->setEditTriggers(QAbstractItemView::NoEditTriggers);
        return;
    }
    const QString who = m_current.card.isValid()
                            ? tr("%1 <%2>").arg(m_current.card.name, m_current.card.email)
                            : tr("the user of identity %1").arg(m_identityId);
    const QString text =
        tr("Edit the data of %1 (identity %2)?\n\nChanges are written to the user's own store with your AWS "
           "credentials and reach the user's devices at their next sync. Every change is recorded in the "
           "support "
           "audit log (who, when, dataset and key).")
            .arg(who, m_identityId);
    const QString identity = m_identityId;
    m_prompts.confirm(this, tr("Edit as support"), text, [this, identity](bool yes) {
        if (!yes || identity != m_identityId)
            return;
        m_editing = true;
        m_edit->setChecked(true);
        m_recordView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
        statusBar()->showMessage(tr("Editing as support: changes are saved and audited"));
    });
}

} // namespace fedsync::ui
