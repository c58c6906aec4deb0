// fedsync-cli help [COMMAND]: the list of commands, or one command's usage, arguments and options (the
// same text as `fedsync-cli COMMAND --help`).
#pragma once

#include "command.h"

namespace fedsync::cli {

class HelpCommand final : public Command
{
public:
    HelpCommand();
    void run(CliApp &app) override;
};

} // namespace fedsync::cli
