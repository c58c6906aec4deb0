// Signs a sandbox user in with the real `fedsync-cli login --browser none` and the scripted browser, so
// tests can start from a stored session (the keychain holds the refresh token afterwards); and runs
// other fedsync-cli commands.
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

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

// Runs fedsync-cli with `args` (and this environment, default: the test's) to the end.
CliRun runCli(const QStringList &args,
              const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
              int timeoutMs = 60000);

} // namespace fedsync::test
