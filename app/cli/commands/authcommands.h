// fedsync-cli login / logout / whoami.
#pragma once

#include "command.h"

namespace fedsync::cli {

class LoginCommand final : public Command
{
public:
    LoginCommand();
    void run(CliApp &app) override;
};

class LogoutCommand final : public Command
{
public:
    LogoutCommand();
    void run(CliApp &app) override;
};

class WhoamiCommand final : public Command
{
public:
    WhoamiCommand();
    void run(CliApp &app) override;
};

} // namespace fedsync::cli
