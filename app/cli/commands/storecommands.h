// The DynamoDB store's commands: `migrate --from cognito-sync` (the CognitoSyncMigration use case the
// main window also runs) and `setup dynamodb` (the table and the IAM policy a new customer creates).
#pragma once

#include "command.h"

namespace fedsync::cli {

class MigrateCommand final : public Command
{
public:
    MigrateCommand();
    void run(CliApp &app) override;
};

class SetupCommand final : public Command
{
public:
    SetupCommand();
    void run(CliApp &app) override;
};

} // namespace fedsync::cli
