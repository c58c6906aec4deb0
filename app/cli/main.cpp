// fedsync-cli: the command line on the same core as the desktop app.
#include "config/appidentity.h"
#include "log/loghandler.h"
#include "platform/processhardening.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    fedsync::hardenProcess();
    fedsync::installLogHandler();
    QCoreApplication app(argc, argv);
    fedsync::applyApplicationIdentity();

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "cli", "Fedsync command line: sign in with Auth0, get Amazon Cognito credentials, sync datasets."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QCoreApplication::translate("cli", "The command to run."));
    parser.process(app);

    QTextStream err(stderr);
    const QStringList args = parser.positionalArguments();
    if (args.isEmpty()) {
        err << parser.helpText();
        return 2;
    }
    err << QCoreApplication::translate("cli", "fedsync-cli: unknown command \"%1\". Run fedsync-cli --help for the list.")
               .arg(args.first())
        << Qt::endl;
    return 2;
}
