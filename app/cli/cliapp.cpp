#include "cliapp.h"

#include "authcommands.h"
#include "awscommands.h"
#include "config/profilefile.h"
#include "config/profilestore.h"
#include "datasetcommands.h"
#include "net/networkcontext.h"
#include "secrets/keychainsecretstore.h"
#include "supportcommand.h"
#include "session/authsession.h"
#include "session/sessioncontext.h"
#include "trace/flowtrace.h"

#include <QCoreApplication>
#include <QMap>
#include <QNetworkAccessManager>

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
         {tr("Sign out and forget the stored tokens (--everywhere: also at the identity provider)"),
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
        {QStringLiteral("import"),
         {tr("Set records from an export's JSON (all or nothing): import DATASET FILE|-"), runImport}},
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
        {QStringLiteral("everywhere"), tr("logout: also sign out of the upstream identity provider.")},
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
    const QString file = m_parser.value(QStringLiteral("profile-file"));
    if (!file.isEmpty())
        return ProfileFile::load(file, error);
    ProfileStore store;
    QString id = m_parser.value(QStringLiteral("profile"));
    if (id.isEmpty())
        id = store.currentProfileId();
    if (id.isEmpty()) {
        *error = UserError::make(QStringLiteral("cli.no_profile"), tr("No profile is selected"),
                                 tr("Fedsync needs your Auth0 (and Cognito) settings"),
                                 tr("Pass --profile-file PATH, or create a profile in the Fedsync app"));
        return std::nullopt;
    }
    std::optional<Profile> profile = store.profile(id);
    if (!profile)
        *error = UserError::make(
            QStringLiteral("cli.unknown_profile"), tr("There is no profile \"%1\"").arg(id), {},
            tr("Check the name (the Fedsync app lists your profiles), or pass --profile-file"));
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
    return m_context.get();
}

const NetworkContext *CliApp::standaloneNetwork(UserError *error)
{
    if (!m_standaloneNetwork) {
        auto network = std::make_unique<NetworkContext>(new QNetworkAccessManager(this), new FlowTrace(this));
        const QString caBundle = qEnvironmentVariable("AWS_CA_BUNDLE");
        if (!caBundle.isEmpty()) {
            *error = network->addCaCertificates(caBundle);
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
    session->session()->restore();
}

void CliApp::fail(const UserError &error, int code)
{
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
    m_out.flush();
    m_err.flush();
    QCoreApplication::exit(code);
}

} // namespace fedsync::cli
