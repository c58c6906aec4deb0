// The support console window (Tools > Support console…, or `fedsync --support`): browse the pool's
// identities page by page, find a user by identity id, Auth0 user id or email (the local index on
// Cognito Sync, crawled on demand with progress), and for one identity see DescribeIdentity, usage, the
// datasets and their records read-only in the editor's table; export them (JSON or CSV, values masked
// unless asked for); "Edit as support" after a confirmation naming the user, every write audited.
// All the work is the core's (app/core/support); this window only shows it.
#pragma once

#include "editorprompts.h"
#include "support/auditlog.h"
#include "support/supportsession.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTableWidget;

namespace fedsync {
class DatasetWorkspace;
class ProfileContext;
namespace support {
class SupportDirectory;
class IdentityIndex;
class SupportWorkspace;
} // namespace support
} // namespace fedsync

namespace fedsync::ui {

class IdentityListModel;
class MessageBanner;
class RecordTableModel;

class SupportConsole final : public QMainWindow
{
    Q_OBJECT
public:
    // Opens the console for the context's profile with the staff credentials of the environment; when
    // there are none, shows the message saying what is needed instead. Returns the window (or null).
    static SupportConsole *open(ProfileContext &context, QWidget *parent = nullptr);

    SupportConsole(std::unique_ptr<support::SupportSession> session, QString indexPath,
                   support::AuditLog audit, QWidget *parent = nullptr);
    ~SupportConsole() override;

    void setPrompts(EditorPrompts prompts) { m_prompts = std::move(prompts); }

    // For tests and the window's own buttons.
    IdentityListModel *identityModel() const { return m_identities; }
    QTableView *identityView() const { return m_identityView; }
    QTableWidget *datasetTable() const { return m_datasets; }
    QTableView *recordView() const { return m_recordView; }
    RecordTableModel *recordModel() const { return m_records; }
    QLabel *detailsLabel() const { return m_details; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *searchKind() const { return m_kind; }
    QPushButton *editButton() const { return m_edit; }
    bool isEditing() const { return m_editing; }
    QString currentIdentity() const { return m_identityId; }
    void find();
    void openIdentity(const QString &identityId);
    void showDataset(const QString &dataset);
    void exportData(bool csv);
    void toggleEditing();

Q_SIGNALS:
    void identityOpened(const QString &identityId);
    void datasetsLoaded();
    void exported(const QString &path);
    void written(const QString &dataset, const QStringList &keys);
    void problem(const fedsync::UserError &error);

private:
    void buildUi();
    void showError(const UserError &error);
    void showFound(const support::FoundIdentity &found);

    std::unique_ptr<support::SupportSession> m_session;
    std::unique_ptr<support::IdentityIndex> m_index;
    support::AuditLog m_audit;
    EditorPrompts m_prompts;
    support::SupportDirectory *m_directory = nullptr; // owned (a QObject child)
    IdentityListModel *m_identities = nullptr;
    std::unique_ptr<support::SupportWorkspace> m_workspace;
    std::unique_ptr<DatasetWorkspace> m_datasetWorkspace;
    RecordTableModel *m_records = nullptr;
    support::FoundIdentity m_current;
    QString m_identityId;
    bool m_editing = false;

    MessageBanner *m_banner = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_kind = nullptr;
    QPushButton *m_findButton = nullptr;
    QPushButton *m_browseButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QTableView *m_identityView = nullptr;
    QLabel *m_details = nullptr;
    QTableWidget *m_datasets = nullptr;
    QTableView *m_recordView = nullptr;
    QCheckBox *m_reveal = nullptr;
    QPushButton *m_exportJson = nullptr;
    QPushButton *m_exportCsv = nullptr;
    QPushButton *m_edit = nullptr;
};

} // namespace fedsync::ui
