#include "doctorcommand.h"

#include "aws/credentialchain.h"
#include "cliapp.h"
#include "config/profilehosts.h"
#include "inspect/setupdoctor.h"
#include "net/networkcontext.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"
#include "trace/flowtrace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>

#include <cstdio>
#include <memory>

namespace fedsync::cli {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync-cli", text);
}

// The ID token to check from --id-token-file (a file, or "-" for stdin): never from the command line,
// where other users could read it in the process list.
bool readTokenFile(CliApp &app, QString *token)
{
    const QString path = app.parser().value(QStringLiteral("id-token-file"));
    if (path.isEmpty())
        return true;
    QFile file;
    const bool opened = path == QStringLiteral("-")
                            ? file.open(stdin, QIODevice::ReadOnly)
                            : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        app.fail(UserError::make(QStringLiteral("cli.token_file"),
                                 tr("Could not read the ID token file %1").arg(path), file.errorString(),
                                 tr("Check the path")),
                 Usage);
        return false;
    }
    *token = QString::fromLatin1(file.read(64 * 1024)).trimmed();
    return true;
}

void printText(CliApp &app, const SetupDoctor &doctor)
{
    QTextStream &out = app.out();
    for (const DoctorFinding &f : doctor.findings()) {
        out << QStringLiteral("%1  %2  %3")
                   .arg(DoctorFinding::statusName(f.status).toUpper(), -4)
                   .arg(f.id, -14)
                   .arg(f.message)
            << Qt::endl;
        if (!f.fix.isEmpty())
            out << QStringLiteral("      %1 %2").arg(tr("fix:"), f.fix) << Qt::endl;
    }
    if (!doctor.thumbprint().isEmpty())
        out << Qt::endl << tr("Thumbprint: %1").arg(doctor.thumbprint()) << Qt::endl;
    out << Qt::endl << tr("AWS commands for this profile:") << Qt::endl;
    for (const SetupCommand &c : doctor.commands())
        out << QStringLiteral("  # %1\n  %2\n").arg(c.purpose, c.command);
}

void runChecks(CliApp &app, const Profile &profile, const QString &idToken)
{
    auto network = std::make_shared<NetworkContext>(new QNetworkAccessManager(&app), new FlowTrace(&app));
    app.addTrace(network->trace());
    if (!profile.caFile.isEmpty()) {
        const UserError error = network->addCaCertificates(profile.caFile, hostsNamedBy(profile));
        if (error.isError()) {
            app.fail(error);
            return;
        }
    }
    network->setTimeoutMs(15000);
    SetupDoctor::Options options;
    options.idToken = idToken;
    const aws::CredentialChain chain(QProcessEnvironment::systemEnvironment(), QDir::homePath());
    const aws::CredentialChain::Result staff = chain.resolve();
    if (!staff.error.isError()) {
        options.staffCredentials = staff.credentials;
        options.staffCredentialsOrigin = staff.origin;
    }
    auto *doctor = new SetupDoctor(profile, *network, options, &app);
    app.keep(network);
    const bool json = app.parser().isSet(QStringLiteral("json"));
    if (!json)
        app.err() << tr("Checking profile \"%1\"...").arg(profile.name) << Qt::endl;
    QObject::connect(doctor, &SetupDoctor::finished, &app, [&app, doctor, json] {
        if (json)
            app.out() << QJsonDocument(doctor->toJson()).toJson(QJsonDocument::Indented);
        else
            printText(app, *doctor);
        app.finish(doctor->hasFailures() ? Failed : Ok);
    });
    doctor->start();
}
} // namespace

DoctorCommand::DoctorCommand()
    : Command(QStringLiteral("doctor"), tr("Check the profile against the live services"))
{
    setDescription(tr("Check the profile against the live services: each finding with its fix, the IAM "
                      "thumbprint and the AWS setup commands. Exit 0 only when nothing fails. Signed in, "
                      "the signed-in user's ID token is checked too."));
    addOption({QStringLiteral("id-token-file"),
               tr("Check this ID token (a file, or - for stdin) instead of the signed-in one."), tr("file")});
    setJsonHelp(tr("Print the findings and the commands as JSON."));
}

void DoctorCommand::run(CliApp &app)
{
    UserError error;
    const std::optional<Profile> profile = app.loadProfile(&error);
    if (!profile) {
        app.fail(error);
        return;
    }
    QString token;
    if (!readTokenFile(app, &token))
        return;
    if (!token.isEmpty()) {
        runChecks(app, *profile, token);
        return;
    }
    // Signed in: check the client's real ID token too. Not signed in, or a profile too broken to sign in
    // with: the checks that need no token.
    app.withSession(
        [&app, profile](ProfileContext &session) { runChecks(app, *profile, session.session()->idToken()); },
        [&app, profile](const UserError &) { runChecks(app, *profile, {}); });
}

} // namespace fedsync::cli
