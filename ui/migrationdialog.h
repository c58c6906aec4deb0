// Tools > Migrate from Cognito Sync…: says what will happen (Cognito Sync is only read, only what
// DynamoDB lacks is copied), runs the core CognitoSyncMigration (the use case behind `fedsync-cli migrate
// --from cognito-sync`) on the event loop with progress per dataset and a Cancel button, then shows the
// report, or the error in words. It starts nothing until the user presses Start.
#pragma once

#include "common/usererror.h"
#include "usecases/cognitosyncmigration.h"

#include <QDialog>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace fedsync {
class ProfileContext;
}

namespace fedsync::ui {

class MigrationDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class State { Ready, Preparing, Running, Finished, Failed, Cancelled };
    Q_ENUM(State)

    // `context` (a DynamoDB profile, signed in) must outlive the dialog.
    explicit MigrationDialog(ProfileContext &context, QWidget *parent = nullptr);
    ~MigrationDialog() override;

    State state() const { return m_state; }
    void start();  // what Start does
    void cancel(); // what Cancel does while it runs (Escape too)
    QString reportText() const;
    QString statusText() const;

    // The report as shown (also the CLI's figures), for tests and the window.
    static QString describe(const CognitoSyncMigration::Report &report);

    void reject() override;

Q_SIGNALS:
    // The run ended (finished, failed or cancelled); `wroteSomething`: DynamoDB may hold new records.
    void ended(bool wroteSomething);

private:
    void setState(State state);
    void showFailure(const UserError &error);

    ProfileContext &m_context;
    State m_state = State::Ready;
    std::unique_ptr<CognitoSyncMigration> m_migration;
    QLabel *m_intro;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPlainTextEdit *m_report;
    QPushButton *m_startButton;
    QPushButton *m_closeButton;
    int m_datasetsStarted = 0;
};

} // namespace fedsync::ui
