#include "helpcommand.h"

#include "cliapp.h"
#include "common/errorcodes.h"

#include <QCoreApplication>

namespace fedsync::cli {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync-cli", text);
}
} // namespace

HelpCommand::HelpCommand()
    : Command(QStringLiteral("help"), tr("Show the commands, or one command's arguments and options"))
{
    addArgument(QStringLiteral("COMMAND"), tr("The command to explain (default: list them all)."),
                QStringLiteral("[COMMAND]"));
}

void HelpCommand::run(CliApp &app)
{
    const QStringList args = app.commandArguments();
    if (args.isEmpty()) {
        app.out() << app.helpText();
        return app.finish(Ok);
    }
    const Command *command = args.size() == 1 ? app.command(args.first()) : nullptr;
    if (!command) {
        const QString what =
            args.size() == 1 ? tr("unknown command \"%1\"").arg(args.first()) : tr("help takes one command");
        return app.fail(UserError::make(errorcode::Usage, what, {},
                                        tr("Run fedsync-cli --help for the list of commands")),
                        Usage);
    }
    app.out() << command->helpText();
    app.finish(Ok);
}

} // namespace fedsync::cli
