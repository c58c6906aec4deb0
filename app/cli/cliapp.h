// The CLI's shared plumbing: the commands (commands/, one class each) and the command line (global
// options before or after the command, then the command's own), the selected profile and its signed-in
// session for every command (through the step both front ends share, usecases/ProfileOpener), the
// keychain, and output helpers (stdout for results, stderr for people). Commands get a CliApp and call
// finish(code) when done; nothing waits in a nested event loop.
#pragma once

#include "common/usererror.h"
#include "config/profile.h"

#include <QCommandLineParser>
#include <QObject>
#include <QPointer>
#include <QTextStream>

#include <functional>
#include <memory>
#include <vector>

namespace fedsync {

class SecretStore;
class NetworkContext;
class ProfileContext;
class ProfileOpener;
class ProfileStore;
class FlowTrace;

namespace cli {

class Command;

// What scripts can tell apart (README "Exit codes", and --help).
enum ExitCode {
    Ok = 0,
    Failed = 1,      // the command failed (the message says why and what to do)
    Usage = 2,       // bad arguments: unknown command or option, invalid dataset name or key
    Unavailable = 3, // offline, or the service stayed busy: nothing was lost, try again later
    Conflicts = 4,   // sync: conflicts were left unresolved (settle them with --policy)
};

class CliApp final : public QObject
{
    Q_OBJECT
public:
    CliApp(QStringList arguments, QObject *parent = nullptr);
    ~CliApp() override;

    // Parses the command line and starts the command; the event loop ends with its exit code.
    void start();

    // The commands, in the order --help lists them; nullptr when there is no `name`.
    Command *command(const QString &name) const;
    // `fedsync-cli --help`: the commands, the global options and the exit codes.
    QString helpText() const;

    // For commands: the command line parsed with the global options and the command's own.
    QCommandLineParser &parser() { return m_parser; }
    const QStringList &commandArguments() const { return m_commandArgs; }
    // The shared "open the profile and the session" step is usecases/ProfileOpener; these give it the
    // command line's --profile-file / --profile and the keychain, and print what it has to say.
    // Loads the selected profile and builds its ProfileContext (once). Null + error when it cannot.
    ProfileContext *context(UserError *error);
    // Restores the selected profile's stored sign-in, then runs `signedIn`. When that fails the command
    // fails with the reason, unless `otherwise` is given: it gets the reason instead (a missing profile
    // too), for commands that can go on without a session.
    void withSession(std::function<void(ProfileContext &)> signedIn,
                     std::function<void(const UserError &reason)> otherwise = {});
    // A network context outside any profile (system CAs plus AWS_CA_BUNDLE, as the AWS CLI reads it),
    // for requests signed with a person's own keys. Null + error when the CA bundle is unusable.
    const NetworkContext *standaloneNetwork(UserError *error);
    // Keeps `resource` alive until the CliApp goes, before the ProfileContext it may use.
    void keep(std::shared_ptr<void> resource) { m_resources.push_back(std::move(resource)); }
    // The selected profile as loaded, not validated (the doctor looks at broken ones too).
    std::optional<Profile> loadProfile(UserError *error);
    // A trace whose events --trace-out writes as HAR when the command ends.
    void addTrace(FlowTrace *trace);
    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    // Prints the error; a network failure (no connection, time-out) exits Unavailable instead of Failed.
    void fail(const UserError &error, int code = Failed);
    void finish(int code);

private:
    void writeTraceFile(int *code);
    qsizetype commandIndex(const QStringList &arguments) const;
    void startWithoutCommand(const QStringList &arguments);
    void usageError(const QString &what, const QString &action);
    void printVersion();
    ProfileOpener &opener(); // made on first use, from the parsed command line

    QStringList m_arguments;
    QStringList m_commandArgs;
    QCommandLineParser m_parser;
    QTextStream m_out;
    QTextStream m_err;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<ProfileOpener> m_opener; // holds the ProfileContext; after the stores it uses
    std::unique_ptr<NetworkContext> m_standaloneNetwork;
    QList<QPointer<FlowTrace>> m_traces;
    std::vector<std::unique_ptr<Command>> m_commands; // after the context: they may hold what uses it
    std::vector<std::shared_ptr<void>> m_resources;   // last: destroyed first
    bool m_parsed = false;                            // m_parser has read the command line
    bool m_finished = false;
};

} // namespace cli
} // namespace fedsync
