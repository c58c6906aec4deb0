// Edits one profile: the Auth0 side, the Amazon Cognito side and the extra CA file, checked as you type
// by ProfileValidator, and where its datasets live (Cognito Sync, or a DynamoDB table with the Cognito Sync
// endpoint to migrate from). Errors and warnings are listed under the tabs with what to do, the fields they
// concern are marked, and OK stays disabled while there is an error. profile() is what to save.
#pragma once

#include "config/profile.h"
#include "config/profilevalidator.h"

#include <QDialog>

#include <functional>
#include <memory>

namespace Ui {
class ProfileEditorDialog;
}

namespace fedsync::ui {

class ProfileEditorDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ProfileEditorDialog(const Profile &profile, QWidget *parent = nullptr);
    ~ProfileEditorDialog() override;

    // The profile as edited, normalized (ProfileValidator::normalize); keeps the original id and what the
    // dialog does not show (the identity card setting, the source file).
    Profile profile() const;
    const QList<ProfileIssue> &issues() const { return m_issues; }

    // How "Browse…" picks the CA file (a QFileDialog by default; tests answer it).
    void setFilePicker(std::function<QString(const QString &current)> picker)
    {
        m_pickFile = std::move(picker);
    }

private:
    void load(const Profile &profile);
    void revalidate();
    void updateStoreFields();
    QWidget *widgetForField(const QString &field) const;

    std::unique_ptr<Ui::ProfileEditorDialog> m_ui;
    Profile m_original;
    QList<ProfileIssue> m_issues;
    std::function<QString(const QString &)> m_pickFile;
};

} // namespace fedsync::ui
