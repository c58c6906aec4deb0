// fedsync-cli credentials / request: the signed-in user's Cognito credentials for the AWS CLI and SDKs
// (credential_process), awscurl-style signed requests, and the identity with every hop that got it.
#pragma once

namespace fedsync::cli {

class CliApp;

void runCredentials(CliApp &app);
void runRequest(CliApp &app);
void runIdentity(CliApp &app);

} // namespace fedsync::cli
