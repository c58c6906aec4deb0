// Edits one profile: the Auth0 side, the Amazon Cognito side and the extra CA file, checked as you type
// by ProfileValidator. Errors and warnings are listed under the tabs with what to do, the fields they
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

    // The profile as edited, normalized (ProfileValidator::normalize); keeps the original id.
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
    QWidget *widgetForField(const QString &field) const;

    std::unique_ptr<Ui::ProfileEditorDialog> m_ui;
    QString m_id;
    QList<ProfileIssue> m_issues;
    std::function<QString(const QString &)> m_pickFile;
};

} // namespace fedsync::ui
