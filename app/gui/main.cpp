// fedsync: the desktop application. Parses the command line, builds the core objects, hands them to
// the main window. No logic of its own.
#include "config/appidentity.h"
#include "log/loghandler.h"
#include "mainwindow.h"
#include "platform/processhardening.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstring>
#include <memory>

namespace {

// --version and --help must work without a display, so they are answered by a QCoreApplication.
bool wantsInfoOnly(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *flag : {"--version", "-v", "--help", "-h", "--help-all"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    }
    return false;
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Desktop client for the Auth0 to Amazon Cognito federation."));
    parser.addHelpOption();
    parser.addVersionOption();
}

} // namespace

int main(int argc, char **argv)
{
    fedsync::hardenProcess();
    fedsync::installLogHandler();

    if (wantsInfoOnly(argc, argv)) {
        QCoreApplication app(argc, argv);
        fedsync::applyApplicationIdentity();
        QCommandLineParser parser;
        addOptions(parser);
        parser.process(app); // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    fedsync::applyApplicationIdentity();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/fedsync.svg")));
    QApplication::setDesktopFileName(QStringLiteral("org.fedsync.Fedsync"));

    QCommandLineParser parser;
    addOptions(parser);
    parser.process(app);

    fedsync::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
