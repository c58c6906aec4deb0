// fedsync-cli credentials / request / identity: the signed-in user's Cognito credentials for the AWS CLI
// and SDKs (credential_process), awscurl-style signed requests, and the identity with every hop that got
// it.
#pragma once

#include "command.h"

namespace fedsync::cli {

class CredentialsCommand final : public Command
{
public:
    CredentialsCommand();
    void run(CliApp &app) override;
};

class RequestCommand final : public Command
{
public:
    RequestCommand();
    void run(CliApp &app) override;
};

class IdentityCommand final : public Command
{
public:
    IdentityCommand();
    void run(CliApp &app) override;
};

} // namespace fedsync::cli
