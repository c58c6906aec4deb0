// The real AWS CLI signing with a Fedsync user's credentials, as the README documents it: a ~/.aws/config
// whose profile "fedsync" runs `fedsync-cli credentials` as its credential_process.
#pragma once

#include "clilogin.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace fedsync::test {

// Writes `home`/.aws/config (profile "fedsync": us-east-1, `fedsync-cli --profile-file <profileFile>
// credentials`) and returns an environment with that HOME and profile in which nothing else gives the
// AWS CLI credentials (no keys, no other config file, no instance metadata, no pager). Nothing when the
// config file could not be written.
std::optional<QProcessEnvironment> awsCliEnvironment(const QString &home, const QString &profileFile);

// Runs `aws args` with `environment` to its end (exit code -1 after `timeoutMs`).
CliRun runAwsCli(const QStringList &args, const QProcessEnvironment &environment, int timeoutMs = 120000);

} // namespace fedsync::test
