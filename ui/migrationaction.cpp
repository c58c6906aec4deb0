#include "migrationaction.h"

#include "config/profile.h"
#include "dataseteditor.h"
#include "mainwindow.h"
#include "migrationdialog.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"

#include <QAction>
#include <QCoreApplication>
#include <QMenu>
#include <QPointer>

namespace fedsync::ui {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MigrationAction", text);
}

// Why the action is off, or empty when it can run.
QString unavailableBecause(ProfileContext *context)
{
    if (!context)
        return tr("No profile is set up");
    const CognitoSettings &c = context->profile().cognito;
    if (c.store != CognitoSettings::Store::DynamoDb)
        return tr("This profile keeps its datasets in Cognito Sync: choose DynamoDB as its store (File > "
                  "Profiles…) to migrate");
    if (c.cognitoSyncEndpoint.isEmpty())
        return tr("The profile names no Cognito Sync endpoint to migrate from: enter it under File > "
                  "Profiles… (Datasets tab)");
    if (!context->cognito())
        return tr("The profile's Amazon Cognito side is not set up");
    if (!context->session()->isSignedIn())
        return tr("Sign in first: the copy uses your own AWS credentials");
    return {};
}

// The editor shows what DynamoDB holds after its next synchronization.
void refreshDatasets(MainWindow *window)
{
    DatasetEditor *editor = window->datasetEditor();
    if (!editor)
        return;
    if (!editor->isSyncing())
        return editor->syncNow();
    QObject::connect(
        editor, &DatasetEditor::syncFinished, editor, [editor] { editor->syncNow(); },
        Qt::SingleShotConnection);
}

} // namespace

void installMigrationAction(MainWindow *window, ProfileContext *context)
{
    auto *tools = window->findChild<QMenu *>(QStringLiteral("menuTools"));
    if (!tools)
        return;
    QAction *action = tools->addAction(tr("&Migrate from Cognito Sync…"));
    action->setObjectName(QStringLiteral("actionMigrateFromCognitoSync"));
    auto update = [action, context] {
        const QString why = unavailableBecause(context);
        action->setEnabled(why.isEmpty());
        action->setToolTip(why.isEmpty() ? tr("Copy your Cognito Sync datasets into this profile's DynamoDB "
                                              "table; Cognito Sync is only read")
                                         : why);
        action->setStatusTip(action->toolTip());
    };
    update();
    tools->setToolTipsVisible(true);
    if (context)
        QObject::connect(context->session(), &SignInState::stateChanged, action, update);
    QPointer<ProfileContext> session(context);
    QObject::connect(action, &QAction::triggered, window, [window, session] {
        if (!session || !unavailableBecause(session).isEmpty())
            return;
        auto *dialog = window->findChild<MigrationDialog *>(QStringLiteral("migrationDialog"));
        if (!dialog) {
            dialog = new MigrationDialog(*session, window);
            dialog->setObjectName(QStringLiteral("migrationDialog"));
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            QObject::connect(dialog, &MigrationDialog::ended, window, [window](bool wroteSomething) {
                if (wroteSomething)
                    refreshDatasets(window);
            });
        }
        dialog->open();
        dialog->raise();
        dialog->activateWindow();
    });
}

} // namespace fedsync::ui
