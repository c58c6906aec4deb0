// fedsync-cli doctor: the setup doctor (SetupDoctor) for the selected profile, as text or --json.
#pragma once

#include "command.h"

namespace fedsync::cli {

class DoctorCommand final : public Command
{
public:
    DoctorCommand();
    void run(CliApp &app) override;
};

} // namespace fedsync::cli
