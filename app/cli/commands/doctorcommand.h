// fedsync-cli doctor: the setup doctor (SetupDoctor) for the selected profile, as text or --json.
#pragma once

namespace fedsync::cli {

class CliApp;

void runDoctor(CliApp &app);

} // namespace fedsync::cli
