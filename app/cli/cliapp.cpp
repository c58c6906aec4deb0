#include "cliapp.h"

#include "commands/authcommands.h"
#include "commands/awscommands.h"
#include "commands/datasetcommands.h"
#include "commands/doctorcommand.h"
#include "commands/helpcommand.h"
#include "commands/storecommands.h"
#include "commands/supportcommand.h"
#include "common/errorcodes.h"
#include "config/profilestore.h"
#include "inspect/harexport.h"
#include "log/logcategories.h"
#include "net/networkcontext.h"
#include "secrets/keychainsecretstore.h"
#include "session/profilecontext.h"
#include "session/signinstate.h"
#include "trace/flowtrace.h"
#include "usecases/profileopener.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace fedsync::cli {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync-cli", text);
}

// Accepted by every command, before or after its name.
QList<QCommandLineOption> globalOptions()
{
    return {
        {QStringLiteral("profile-file"), tr("Use the profile in this file (as the sandbox writes one)."),
         tr("path")},
        {QStringLiteral("profile"), tr("Use this saved profile (default: the current one)."), tr("id")},
        {QStringLiteral("json"), tr("Print machine-readable JSON (the commands whose help lists it).")},
        {QStringLiteral("trace-out"),
         tr("Write every network hop of this command to FILE as HAR 1.2 (secrets redacted) when it ends."),
         tr("file")},
    };
}

const QCommandLineOption &helpOption()
{
    static const QCommandLineOption option({QStringLiteral("h"), QStringLiteral("help")},
                                           tr("Show this help (with a command: that command's)."));
    return option;
}

const QCommandLineOption &versionOption()
{
    static const QCommandLineOption option({QStringLiteral("v"), QStringLiteral("version")},
                                           tr("Show the version."));
    return option;
}
} // namespace

CliApp::CliApp(QStringList arguments, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_out(stdout)
    , m_err(stderr)
{
    // The commands, in the order --help lists them. A new command: a class in commands/, added here.
    m_commands.push_back(std::make_unique<LoginCommand>());
    m_commands.push_back(std::make_unique<LogoutCommand>());
    m_commands.push_back(std::make_unique<WhoamiCommand>());
    m_commands.push_back(std::make_unique<IdentityCommand>());
    m_commands.push_back(std::make_unique<CredentialsCommand>());
    m_commands.push_back(std::make_unique<RequestCommand>());
    m_commands.push_back(std::make_unique<DatasetsCommand>());
    m_commands.push_back(std::make_unique<GetCommand>());
    m_commands.push_back(std::make_unique<PutCommand>());
    m_commands.push_back(std::make_unique<RmCommand>());
    m_commands.push_back(std::make_unique<SyncCommand>());
    m_commands.push_back(std::make_unique<ExportCommand>());
    m_commands.push_back(std::make_unique<ImportCommand>());
    m_commands.push_back(std::make_unique<MigrateCommand>());
    m_commands.push_back(std::make_unique<SetupCommand>());
    m_commands.push_back(std::make_unique<DoctorCommand>());
    m_commands.push_back(std::make_unique<SupportCommand>(*this));
    m_commands.push_back(std::make_unique<HelpCommand>());
}

CliApp::~CliApp() = default;

Command *CliApp::command(const QString &name) const
{
    for (const std::unique_ptr<Command> &command : m_commands)
        if (command->name() == name)
            return command.get();
    return nullptr;
}

QString CliApp::helpText() const
{
    QList<std::pair<QString, QString>> commands;
    for (const std::unique_ptr<Command> &command : m_commands)
        commands.append({command->name(), command->summary()});
    QList<std::pair<QString, QString>> options;
    for (const QCommandLineOption &option : globalOptions())
        options.append({optionSyntax(option), option.description()});
    options.append({optionSyntax(helpOption()), helpOption().description()});
    options.append({optionSyntax(versionOption()), versionOption().description()});
    return tr("Usage: fedsync-cli [global options] COMMAND [options] [arguments]") + QStringLiteral("\n\n") +
           tr("Fedsync command line: sign in with Auth0, get Amazon Cognito credentials, sync datasets.") +
           QStringLiteral("\n\n") + tr("Commands:") + QLatin1Char('\n') + formatHelpRows(commands) +
           QLatin1Char('\n') + tr("Global options (before or after the command):") + QLatin1Char('\n') +
           formatHelpRows(options) + QLatin1Char('\n') +
           tr("fedsync-cli help COMMAND (or fedsync-cli COMMAND --help) shows a command's arguments and "
              "options.") +
           QStringLiteral("\n\n") +
           tr("Exit codes:\n  0  done\n  1  failed (the message says why and what to do)\n"
              "  2  usage: unknown command or option, invalid dataset name or key\n"
              "  3  offline, or the service stayed busy: nothing was lost, try again later\n"
              "  4  sync: conflicts left unresolved (settle them with --policy)\n");
}

// Where the command's name is: the first argument that is neither an option nor an option's value.
// Options before the name may be global ones or the command's own; the value of `--name value` is
// skipped for every option that takes one (no two options share a name).
qsizetype CliApp::commandIndex(const QStringList &arguments) const
{
    QStringList takeValues;
    auto collect = [&takeValues](const QList<QCommandLineOption> &options) {
        for (const QCommandLineOption &option : options)
            if (!option.valueName().isEmpty())
                takeValues += option.names();
    };
    collect(globalOptions());
    for (const std::unique_ptr<Command> &command : m_commands)
        collect(command->options());
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1String("--"))
            return i + 1 < arguments.size() ? i + 1 : -1;
        if (!argument.startsWith(QLatin1Char('-')) || argument == QLatin1String("-"))
            return i;
        if (argument.contains(QLatin1Char('=')))
            continue;
        const QString name = argument.startsWith(QLatin1String("--")) ? argument.mid(2) : argument.mid(1);
        if (takeValues.contains(name))
            ++i;
    }
    return -1;
}

void CliApp::printVersion()
{
    m_out << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion() << Qt::endl;
    finish(Ok);
}

void CliApp::usageError(const QString &what, const QString &action)
{
    fail(UserError::make(errorcode::Usage, what, {}, action), Usage);
}

void CliApp::startWithoutCommand(const QStringList &arguments)
{
    m_parser.addOptions(globalOptions());
    m_parser.addOption(helpOption());
    m_parser.addOption(versionOption());
    m_parsed = true;
    if (!m_parser.parse(arguments))
        return usageError(m_parser.errorText(), tr("Run fedsync-cli --help for the commands and options"));
    if (m_parser.isSet(versionOption()))
        return printVersion();
    if (m_parser.isSet(helpOption())) {
        m_out << helpText();
        return finish(Ok);
    }
    m_err << helpText();
    finish(Usage);
}

void CliApp::start()
{
    const QStringList arguments = m_arguments.mid(1);
    const qsizetype at = commandIndex(arguments);
    if (at < 0)
        return startWithoutCommand(m_arguments);
    const QString name = arguments.at(at);
    Command *found = command(name);
    if (!found) {
        m_err << tr("fedsync-cli: unknown command \"%1\". Run fedsync-cli --help for the list.").arg(name)
              << Qt::endl;
        finish(Usage);
        return;
    }
    m_parser.addOptions(globalOptions());
    m_parser.addOption(helpOption());
    m_parser.addOption(versionOption());
    m_parser.addOptions(found->options());
    QStringList rest = m_arguments;
    rest.removeAt(at + 1);
    m_parsed = true;
    if (!m_parser.parse(rest))
        return usageError(tr("%1: %2").arg(name, m_parser.errorText()),
                          tr("Run fedsync-cli %1 --help for its options").arg(name));
    if (m_parser.isSet(helpOption())) {
        m_out << found->helpText();
        return finish(Ok);
    }
    if (m_parser.isSet(versionOption()))
        return printVersion();
    m_commandArgs = m_parser.positionalArguments();
    found->run(*this);
}

ProfileOpener &CliApp::opener()
{
    if (!m_opener) {
        m_profiles = std::make_unique<ProfileStore>();
        m_secrets = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
        m_opener = std::make_unique<ProfileOpener>(
            *m_profiles, m_secrets.get(),
            ProfileSelection::Request{m_parser.value(QStringLiteral("profile-file")),
                                      m_parser.value(QStringLiteral("profile"))});
    }
    return *m_opener;
}

std::optional<Profile> CliApp::loadProfile(UserError *error)
{
    std::optional<Profile> profile = opener().profile(error);
    // The first time a file's CA is used, say what it is (stderr: stdout stays the command's output).
    if (profile) {
        if (const QString notice = opener().pendingCaNotice(*profile); !notice.isEmpty()) {
            m_err << tr("fedsync-cli: %1").arg(notice) << Qt::endl;
            opener().markCaNoticeShown(*profile);
        }
    }
    return profile;
}

ProfileContext *CliApp::context(UserError *error)
{
    if (ProfileContext *opened = opener().openedContext())
        return opened;
    if (!loadProfile(error)) // with the CA notice
        return nullptr;
    ProfileContext *opened = opener().context(error);
    if (opened) {
        // Only once a profile is in use: help and usage errors keep stderr to the message itself.
        qCDebug(lcCli) << "profile" << opened->profile().id << "opened";
        addTrace(opened->trace());
    }
    return opened;
}

const NetworkContext *CliApp::standaloneNetwork(UserError *error)
{
    if (!m_standaloneNetwork) {
        auto network = std::make_unique<NetworkContext>(new QNetworkAccessManager(this), new FlowTrace(this));
        addTrace(network->trace());
        const QString caBundle = qEnvironmentVariable("AWS_CA_BUNDLE");
        if (!caBundle.isEmpty()) {
            // A bundle the user named for AWS calls (as the AWS CLI reads it): every host of this chain.
            *error = network->addCaCertificates(caBundle, {});
            if (error->isError())
                return nullptr;
        }
        m_standaloneNetwork = std::move(network);
    }
    return m_standaloneNetwork.get();
}

void CliApp::withSession(std::function<void(ProfileContext &)> signedIn,
                         std::function<void(const UserError &)> otherwise)
{
    auto giveUp = [this, otherwise](const UserError &reason) {
        if (otherwise)
            otherwise(reason);
        else if (reason.code == errorcode::SessionNone)
            fail(UserError::make(reason.code, tr("Not signed in"), {}, tr("Run fedsync-cli login first")));
        else
            fail(reason);
    };
    UserError error;
    if (!context(&error)) { // the CA notice, the trace
        giveUp(error);
        return;
    }
    opener().restore(this, std::move(signedIn), giveUp);
}

void CliApp::fail(const UserError &error, int code)
{
    if (code == Failed && errorcode::isOneOf(error.code, errorcode::NetTransport))
        code = Unavailable;
    m_err << tr("fedsync-cli: %1").arg(error.text()) << Qt::endl;
    if (!error.details.isEmpty())
        m_err << tr("  details: %1").arg(error.details) << Qt::endl;
    finish(code);
}

void CliApp::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    writeTraceFile(&code);
    m_out.flush();
    m_err.flush();
    // Keychain work still under way (a rotated refresh token, cached credentials) ends before the exit.
    if (ProfileContext *opened = m_opener ? m_opener->openedContext() : nullptr;
        opened && opened->session()) {
        opened->session()->whenIdle([code] { QCoreApplication::exit(code); });
        return;
    }
    QCoreApplication::exit(code);
}

void CliApp::addTrace(FlowTrace *trace)
{
    if (trace && !m_traces.contains(trace))
        m_traces.append(trace);
}

void CliApp::writeTraceFile(int *code)
{
    if (!m_parsed) // the command line was not read (an unknown command)
        return;
    const QString path = m_parser.value(QStringLiteral("trace-out"));
    if (path.isEmpty())
        return;
    QList<TraceEvent> events;
    for (const QPointer<FlowTrace> &trace : std::as_const(m_traces))
        if (trace)
            events += trace->events();
    std::stable_sort(events.begin(), events.end(),
                     [](const TraceEvent &a, const TraceEvent &b) { return a.startedAt < b.startedAt; });
    const UserError error = HarExport::write(events, path);
    if (error.isError()) {
        m_err << tr("fedsync-cli: %1").arg(error.text()) << Qt::endl;
        if (*code == Ok)
            *code = Failed;
    }
}

} // namespace fedsync::cli
