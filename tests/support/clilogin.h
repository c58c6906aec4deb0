// Signs a sandbox user in with the real `fedsync-cli login --browser none` and the scripted browser, so
// tests can start from a stored session (the keychain holds the refresh token afterwards).
#pragma once

#include <QString>

namespace fedsync::test {

class Sandbox;

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun cliLogin(const Sandbox &sandbox, int user, const QString &profileFile);

} // namespace fedsync::test
