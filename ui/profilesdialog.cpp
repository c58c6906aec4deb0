#include "profilesdialog.h"

#include "config/cafilenotice.h"
#include "config/profilefile.h"
#include "config/profilestore.h"
#include "editorprompts.h"
#include "profileeditordialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace fedsync::ui {

ProfilesDialog::ProfilesDialog(ProfileStore &store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_list(new QListWidget(this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_duplicate(new QPushButton(tr("D&uplicate"), this))
    , m_remove(new QPushButton(tr("&Delete…"), this))
    , m_use(nullptr)
    , m_pickFile([this] {
        return QFileDialog::getOpenFileName(this, tr("Import a profile"), QString(),
                                            tr("Fedsync profiles (*.json);;All files (*)"));
    })
    , m_confirm(EditorPrompts::dialogs().confirm)
{
    setWindowTitle(tr("Profiles"));
    resize(560, 360);
    m_list->setObjectName(QStringLiteral("profileList"));
    auto *add = new QPushButton(tr("&New…"), this);
    auto *import = new QPushButton(tr("&Import file…"), this);
    add->setObjectName(QStringLiteral("newProfile"));
    import->setObjectName(QStringLiteral("importProfile"));
    m_edit->setObjectName(QStringLiteral("editProfile"));
    m_duplicate->setObjectName(QStringLiteral("duplicateProfile"));
    m_remove->setObjectName(QStringLiteral("deleteProfile"));

    auto *side = new QVBoxLayout;
    for (QPushButton *button : {add, m_edit, m_duplicate, m_remove, import})
        side->addWidget(button);
    side->addStretch();
    auto *row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(side);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_use = buttons->addButton(tr("&Use this profile"), QDialogButtonBox::AcceptRole);
    m_use->setObjectName(QStringLiteral("useProfile"));
    auto *layout = new QVBoxLayout(this);
    auto *hint =
        new QLabel(tr("A profile holds one Auth0 application and, optionally, the Amazon Cognito identity "
                      "pool it is federated with. Profiles hold no secret."),
                   this);
    hint->setWordWrap(true);
    layout->addWidget(hint);
    layout->addLayout(row);
    layout->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, [this] { edit(Profile{}, true); });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (const auto profile = m_store.profile(selectedProfileId()))
            edit(*profile, false);
    });
    connect(m_list, &QListWidget::itemActivated, m_edit, &QPushButton::click);
    connect(m_duplicate, &QPushButton::clicked, this, &ProfilesDialog::duplicateSelected);
    connect(m_remove, &QPushButton::clicked, this, &ProfilesDialog::removeSelected);
    connect(import, &QPushButton::clicked, this, &ProfilesDialog::importFile);
    connect(m_list, &QListWidget::currentRowChanged, this, &ProfilesDialog::updateButtons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const QString id = selectedProfileId();
        if (id.isEmpty())
            return;
        Q_EMIT profileChosen(id);
        accept();
    });
    reload();
    selectProfile(m_store.currentProfileId());
}

QString ProfilesDialog::selectedProfileId() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void ProfilesDialog::selectProfile(const QString &id)
{
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->data(Qt::UserRole).toString() == id)
            m_list->setCurrentRow(row);
    updateButtons();
}

void ProfilesDialog::reload()
{
    const QString selected = selectedProfileId();
    const QString current = m_store.currentProfileId();
    m_list->clear();
    for (const Profile &profile : m_store.profiles()) {
        QString text = QStringLiteral("%1 — %2").arg(profile.name, profile.auth0.domain);
        if (profile.id == current)
            text += tr(" (in use)");
        auto *item = new QListWidgetItem(text, m_list);
        item->setData(Qt::UserRole, profile.id);
        item->setToolTip(profile.cognito.isConfigured()
                             ? tr("Auth0 and Amazon Cognito (%1)").arg(profile.cognito.identityPoolId)
                             : tr("Auth0 only: no AWS credentials"));
        if (profile.id == current) {
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
        }
    }
    selectProfile(selected.isEmpty() ? current : selected);
}

void ProfilesDialog::updateButtons()
{
    const bool any = !selectedProfileId().isEmpty();
    m_edit->setEnabled(any);
    m_duplicate->setEnabled(any);
    m_remove->setEnabled(any);
    m_use->setEnabled(any);
}

void ProfilesDialog::edit(const Profile &profile, bool isNew)
{
    auto *editor = new ProfileEditorDialog(profile, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &QDialog::accepted, this, [this, editor, isNew] {
        Profile edited = editor->profile();
        if (isNew)
            edited.id = m_store.uniqueIdFor(edited.name);
        const UserError error = m_store.save(edited);
        if (error.isError()) {
            showError(error.text());
            return;
        }
        reload();
        selectProfile(edited.id);
        if (!isNew)
            Q_EMIT profileEdited(edited.id);
    });
    editor->open();
}

void ProfilesDialog::duplicateSelected()
{
    std::optional<Profile> profile = m_store.profile(selectedProfileId());
    if (!profile)
        return;
    profile->name = tr("%1 (copy)").arg(profile->name);
    profile->id = m_store.uniqueIdFor(profile->name);
    const UserError error = m_store.save(*profile);
    if (error.isError()) {
        showError(error.text());
        return;
    }
    reload();
    selectProfile(profile->id);
}

void ProfilesDialog::removeSelected()
{
    const QString id = selectedProfileId();
    const std::optional<Profile> profile = m_store.profile(id);
    if (!profile)
        return;
    auto *confirm = new QMessageBox(QMessageBox::Question, tr("Delete profile"),
                                    tr("Delete the profile “%1”?").arg(profile->name),
                                    QMessageBox::Yes | QMessageBox::Cancel, this);
    confirm->setInformativeText(
        tr("Its settings are removed, and so is the sign-in it stored in the keychain."));
    confirm->setDefaultButton(QMessageBox::Cancel);
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    connect(confirm, &QMessageBox::finished, this, [this, id](int result) {
        if (result != QMessageBox::Yes)
            return;
        m_store.remove(id);
        reload();
        Q_EMIT profileEdited(id);
    });
    confirm->open();
}

void ProfilesDialog::importFile()
{
    const QString path = m_pickFile();
    if (path.isEmpty())
        return;
    UserError error;
    std::optional<Profile> profile = ProfileFile::load(path, &error);
    if (!profile) {
        showError(error.text());
        return;
    }
    // Imported as a new profile; the editor shows what the file holds and what is wrong with it.
    profile->id.clear();
    if (profile->caFile.isEmpty()) {
        edit(*profile, true);
        return;
    }
    // An extra CA is a trust anchor: the user sees what it is before the profile can be saved.
    m_confirm(this, tr("Trust this certificate authority?"),
              CaFileNotice::text(*profile) +
                  tr("\n\nImport the profile only if you expected this certificate authority."),
              [this, guard = QPointer<ProfilesDialog>(this), path, imported = *profile](bool yes) {
                  if (!guard || !yes)
                      return;
                  CaFileNotice::markShown(path, imported);
                  edit(imported, true);
              });
}

void ProfilesDialog::showError(const QString &text)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Profiles"), text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace fedsync::ui
