#include "cliapp.h"

#include "authcommands.h"
#include "awscommands.h"
#include "config/cafilenotice.h"
#include "config/profileselection.h"
#include "config/profilestore.h"
#include "datasetcommands.h"
#include "doctorcommand.h"
#include "inspect/harexport.h"
#include "net/networkcontext.h"
#include "secrets/keychainsecretstore.h"
#include "supportcommand.h"
#include "session/authsession.h"
#include "session/sessioncontext.h"
#include "storecommands.h"
#include "trace/flowtrace.h"

#include <QCoreApplication>
#include <QMap>
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

struct Command
{
    QString summary;
    std::function<void(CliApp &)> run;
};

const QMap<QString, Command> &commands()
{
    static const QMap<QString, Command> table = {
        {QStringLiteral("login"), {tr("Sign in with Auth0 (--browser embedded|system|none)"), runLogin}},
        {QStringLiteral("logout"),
         {tr("Sign out: revoke the refresh token, forget the stored tokens (--everywhere: also at the "
             "identity provider; --forget-data: delete your local data too); refuses while edits are "
             "not yet sent, unless --force"),
          runLogout}},
        {QStringLiteral("whoami"),
         {tr("Show the signed-in user's verified ID-token claims (--json)"), runWhoami}},
        {QStringLiteral("identity"),
         {tr("Get AWS credentials; show the Cognito identity, the flow and every hop (--json)"),
          runIdentity}},
        {QStringLiteral("credentials"),
         {tr("Print AWS credentials as credential_process JSON (for ~/.aws/config)"), runCredentials}},
        {QStringLiteral("request"),
         {tr("Send a SigV4-signed request: [-X METHOD] [-H 'Name: value'] [-d BODY|@file] [--service S] "
             "[--region R] [--verbose] URL"),
          runRequest}},
        {QStringLiteral("datasets"),
         {tr("List the datasets on this device: records, size, last change, pending changes (--json)"),
          runDatasets}},
        {QStringLiteral("get"), {tr("Print a record's value: get DATASET KEY"), runGet}},
        {QStringLiteral("put"),
         {tr("Set a record on this device (sent by sync): put DATASET KEY VALUE"), runPut}},
        {QStringLiteral("rm"), {tr("Remove a record on this device (sent by sync): rm DATASET KEY"), runRm}},
        {QStringLiteral("sync"),
         {tr("Synchronize with Cognito Sync: sync [DATASET] [--policy mine|theirs|newest]; without a policy, "
             "conflicts are reported and left"),
          runSync}},
        {QStringLiteral("export"), {tr("Print a dataset as JSON: export DATASET"), runExport}},
        {QStringLiteral("doctor"),
         {tr("Check the profile against the live services: each finding with its fix, the IAM thumbprint and "
             "the AWS setup commands (--json; exit 0 only when nothing fails)"),
          runDoctor}},
        {QStringLiteral("import"),
         {tr("Set records from an export's JSON (all or nothing): import DATASET FILE|-"), runImport}},
        {QStringLiteral("migrate"),
         {tr("Copy your Cognito Sync datasets into the profile's DynamoDB table: migrate --from cognito-sync "
             "(--json)"),
          runMigrate}},
        {QStringLiteral("setup"),
         {tr("Print what a new AWS setup creates: setup dynamodb (the table and the IAM policy; --json)"),
          runSetup}},
        {QStringLiteral("support"), {SupportCommand::summary(), SupportCommand::run}},
    };
    return table;
}
} // namespace

CliApp::CliApp(QStringList arguments, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_out(stdout)
    , m_err(stderr)
{
    QString description = tr("Fedsync command line: sign in with Auth0, get Amazon Cognito credentials, sync "
                             "datasets.\n\nCommands:");
    for (auto it = commands().cbegin(); it != commands().cend(); ++it)
        description += QStringLiteral("\n  %1  %2").arg(it.key(), -8).arg(it->summary);
    description += tr("\n\nExit codes:\n  0  done\n  1  failed (the message says why and what to do)\n"
                      "  2  usage: unknown command or option, invalid dataset name or key\n"
                      "  3  offline, or the service stayed busy: nothing was lost, try again later\n"
                      "  4  sync: conflicts left unresolved (settle them with --policy)");
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({
        {QStringLiteral("profile-file"), tr("Use the profile in this file (as the sandbox writes one)."),
         tr("path")},
        {QStringLiteral("profile"), tr("Use this saved profile (default: the current one)."), tr("id")},
        {QStringLiteral("browser"), tr("login: where the sign-in page opens: embedded, system or none."),
         tr("mode")},
        {QStringLiteral("json"), tr("Print machine-readable JSON.")},
        {QStringLiteral("trace-out"),
         tr("Write every network hop of this command to FILE as HAR 1.2 (secrets redacted) when it ends."),
         tr("file")},
        {QStringLiteral("id-token-file"),
         tr("doctor: check this ID token (a file, or - for stdin) instead of the signed-in one."), tr("file")},
        {QStringLiteral("everywhere"), tr("logout: also sign out of the upstream identity provider.")},
        {QStringLiteral("force"), tr("logout: sign out even though edits on this device are not yet sent.")},
        {QStringLiteral("forget-data"), tr("logout: also delete your local data on this computer.")},
        {{QStringLiteral("X"), QStringLiteral("request")},
         tr("request: the HTTP method (default GET, POST with -d)."),
         tr("method")},
        {{QStringLiteral("H"), QStringLiteral("header")},
         tr("request: a header to send, 'Name: value' (repeatable)."),
         tr("header")},
        {{QStringLiteral("d"), QStringLiteral("data")},
         tr("request: the body, or @file to read it from a file."),
         tr("body")},
        {QStringLiteral("service"), tr("request: the SigV4 service name (default: from the host name)."),
         tr("name")},
        {QStringLiteral("region"),
         tr("request: the SigV4 region (default: from the host name or the profile)."), tr("region")},
        {QStringLiteral("policy"),
         tr("sync: settle conflicts: mine (this device wins), theirs (the server wins), newest (the later "
            "edit wins)."),
         tr("policy")},
        {QStringLiteral("from"), tr("migrate: the store to copy from (cognito-sync)."), tr("store")},
        {QStringLiteral("verbose"),
         tr("request: show the canonical request, the string to sign and the headers.")},
        // support ...
        {QStringLiteral("limit"), tr("support identities: at most N identities (0: all); crawl: N pages."),
         tr("N")},
        {QStringLiteral("sub"), tr("support find: the user's Auth0 user id (sub)."), tr("sub")},
        {QStringLiteral("email"), tr("support find: the user's email."), tr("email")},
        {QStringLiteral("identity"), tr("support find: the Cognito identity id."), tr("id")},
        {QStringLiteral("csv"), tr("support records: print CSV.")},
        {QStringLiteral("reveal"), tr("support records: show values (masked by default).")},
        {QStringLiteral("confirm"), tr("support put: really change the user's data (audited).")},
        {QStringLiteral("full"), tr("support crawl: read every identity card again.")},
    });
    m_parser.addPositionalArgument(QStringLiteral("command"), tr("The command to run (see above)."));
}

CliApp::~CliApp() = default;

void CliApp::start()
{
    m_parser.process(m_arguments); // --help, --version and unknown options exit here
    m_commandArgs = m_parser.positionalArguments();
    if (m_commandArgs.isEmpty()) {
        m_err << m_parser.helpText();
        finish(Usage);
        return;
    }
    const QString name = m_commandArgs.takeFirst();
    const auto it = commands().constFind(name);
    if (it == commands().cend()) {
        m_err << tr("fedsync-cli: unknown command \"%1\". Run fedsync-cli --help for the list.").arg(name)
              << Qt::endl;
        finish(Usage);
        return;
    }
    it->run(*this);
}

std::optional<Profile> CliApp::loadProfile(UserError *error)
{
    const ProfileStore store;
    const QString file = m_parser.value(QStringLiteral("profile-file"));
    std::optional<Profile> profile =
        ProfileSelection(store).select({file, m_parser.value(QStringLiteral("profile"))}, error);
    // The first time a file's CA is used, say what it is (stderr: stdout stays the command's output).
    if (profile && !file.isEmpty() && !CaFileNotice::wasShown(file, *profile)) {
        m_err << tr("fedsync-cli: %1").arg(CaFileNotice::text(*profile)) << Qt::endl;
        CaFileNotice::markShown(file, *profile);
    }
    return profile;
}

SessionContext *CliApp::context(UserError *error)
{
    if (m_context)
        return m_context.get();
    std::optional<Profile> profile = loadProfile(error);
    if (!profile)
        return nullptr;
    if (!m_secrets)
        m_secrets = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    m_context = SessionContext::create(*profile, m_secrets.get(), error);
    if (m_context)
        addTrace(m_context->trace());
    return m_context.get();
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

void CliApp::withSession(std::function<void(SessionContext &)> signedIn,
                         std::function<void(const UserError &)> otherwise)
{
    auto giveUp = [this, otherwise](const UserError &reason) {
        if (otherwise)
            otherwise(reason);
        else if (reason.code == QStringLiteral("session.none"))
            fail(UserError::make(reason.code, tr("Not signed in"), {}, tr("Run fedsync-cli login first")));
        else
            fail(reason);
    };
    UserError error;
    SessionContext *session = context(&error);
    if (!session) {
        giveUp(error);
        return;
    }
    connect(session->session(), &AuthSession::signedIn, this, [session, signedIn] { signedIn(*session); });
    connect(session->session(), &AuthSession::restoreFailed, this, giveUp);
    session->session()->restore(/*useCachedIdToken=*/true);
}

void CliApp::fail(const UserError &error, int code)
{
    static const QStringList offline{QStringLiteral("net.timeout"), QStringLiteral("net.refused"),
                                     QStringLiteral("net.dns"), QStringLiteral("net.closed"),
                                     QStringLiteral("net.failed")};
    if (code == Failed && offline.contains(error.code))
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
    if (m_context && m_context->session()) {
        m_context->session()->whenIdle([code] { QCoreApplication::exit(code); });
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
