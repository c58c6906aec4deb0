// fedsync-cli: the command line on the same core as the desktop app.
#include "cliapp.h"
#include "config/appidentity.h"
#include "log/loghandler.h"
#include "platform/owneronly.h"
#include "platform/processhardening.h"

#include <QCoreApplication>
#include <QTimer>

int main(int argc, char **argv)
{
    fedsync::hardenProcess();
    fedsync::installLogHandler();
    QCoreApplication app(argc, argv);
    fedsync::applyApplicationIdentity();
    fedsync::restrictApplicationFilesToOwner();

    fedsync::cli::CliApp cli(QCoreApplication::arguments());
    QTimer::singleShot(0, &cli, &fedsync::cli::CliApp::start);
    return QCoreApplication::exec();
}
