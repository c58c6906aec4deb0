// The DynamoDB store's commands: `migrate --from cognito-sync` (the CognitoSyncMigration use case the
// main window also runs) and `setup dynamodb` (the table and the IAM policy a new customer creates).
#pragma once

namespace fedsync::cli {

class CliApp;

void runMigrate(CliApp &app);
void runSetup(CliApp &app);

} // namespace fedsync::cli
