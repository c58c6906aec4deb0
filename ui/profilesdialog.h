// The user's saved profiles: add, edit (ProfileEditorDialog), duplicate, delete (with confirmation),
// import a profile file (as the sandbox writes one), and choose the one to use. Works on the ProfileStore
// passed in; emits profileChosen() when the user picks one with "Use".
#pragma once

#include <QDialog>

#include <functional>

class QListWidget;
class QPushButton;

namespace fedsync {
class ProfileStore;
struct Profile;
} // namespace fedsync

namespace fedsync::ui {

class ProfilesDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ProfilesDialog(ProfileStore &store, QWidget *parent = nullptr);

    // How "Import…" picks a file (a QFileDialog by default; tests answer it).
    void setFilePicker(std::function<QString()> picker) { m_pickFile = std::move(picker); }
    // How a yes/no question is asked (an imported profile's CA: EditorPrompts' confirm by default).
    using Confirm = std::function<void(QWidget *parent, const QString &title, const QString &text,
                                       std::function<void(bool)>)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    QString selectedProfileId() const;
    void selectProfile(const QString &id);

Q_SIGNALS:
    void profileChosen(const QString &id);
    // A stored profile was changed or removed (the app rebuilds its session if it was the one in use).
    void profileEdited(const QString &id);

private:
    void reload();
    void updateButtons();
    void edit(const Profile &profile, bool isNew);
    void duplicateSelected();
    void removeSelected();
    void importFile();
    void showError(const QString &text);

    ProfileStore &m_store;
    QListWidget *m_list;
    QPushButton *m_edit;
    QPushButton *m_duplicate;
    QPushButton *m_remove;
    QPushButton *m_use;
    std::function<QString()> m_pickFile;
    Confirm m_confirm;
};

} // namespace fedsync::ui
