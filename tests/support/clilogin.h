// Signs a sandbox user in with the real `fedsync-cli login --browser none` and the scripted browser, so
// tests can start from a stored session (the keychain holds the refresh token afterwards); and runs
// other fedsync-cli commands.
#pragma once

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace fedsync::test {

class Sandbox;

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// `forgedRedirectFirst`: before the browser's real answer, something else on this computer sends the
// CLI's loopback receiver a redirect with a code and a state of its own.
CliRun cliLogin(const Sandbox &sandbox, int user, const QString &profileFile,
                bool forgedRedirectFirst = false);

// Runs fedsync-cli with `args` (and this environment, default: the test's) to the end (exit code -1
// after `timeoutMs`). With `input`, that is its standard input, closed after it.
CliRun runCli(const QStringList &args,
              const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
              int timeoutMs = 60000, const std::optional<QByteArray> &input = std::nullopt);

// An environment for `fedsync-cli support`: a staff member's own AWS keys (default: the sandbox's
// developer keys) and nothing else of the AWS credential chain (HOME = `home`, no session token, no
// AWS_PROFILE).
QProcessEnvironment staffEnvironment(const Sandbox &sandbox, const QString &home, const QString &keyId = {},
                                     const QString &secret = {});

// The first identity `fedsync-cli support find --json` printed ({} when none).
QJsonObject firstFound(const CliRun &run);

// The signed-in user of `profileFile` (`fedsync-cli identity --json`): the Cognito identity id, or empty
// with what fedsync-cli printed in `problem`.
QString cliIdentityId(const QString &profileFile, QString *problem = nullptr);

// A sandbox user who has used Fedsync: signed in with fedsync-cli for `profileFile`, `greeting` put as
// notes/greeting (unless empty), and synced (the sync also sends the identity card the sign-in
// recorded). The user's identity id; empty with `problem` set when a step failed.
QString cliSignInAndSync(const Sandbox &sandbox, int user, const QString &profileFile,
                         const QString &greeting, QString *problem);

} // namespace fedsync::test
