// Tools > Check setup…: runs the setup doctor on the current profile and lists each finding as it comes
// (status, what was found, the fix), with progress; non-modal, cancellable, and the thumbprint and AWS
// setup commands at the end. The same SetupDoctor as `fedsync-cli doctor`.
#pragma once

#include "inspect/setupdoctor.h"

#include <QDialog>
#include <QPointer>

class QProgressBar;
class QTreeWidget;
class QPlainTextEdit;
class QPushButton;

namespace fedsync {
class ProfileContext;
} // namespace fedsync

namespace fedsync::ui {

class DoctorDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit DoctorDialog(ProfileContext *context, QWidget *parent = nullptr);
    ~DoctorDialog() override;

    void start();
    QTreeWidget *findingsView() const { return m_findings; }
    SetupDoctor *doctor() const { return m_doctor; }

Q_SIGNALS:
    void checksFinished();

private:
    void addFinding(const DoctorFinding &finding);

    QPointer<ProfileContext> m_context;
    QPointer<SetupDoctor> m_doctor;
    QTreeWidget *m_findings;
    QProgressBar *m_progress;
    QPlainTextEdit *m_commands;
    QPushButton *m_again;
};

} // namespace fedsync::ui
