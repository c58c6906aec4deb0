// fedsync-cli login / logout / whoami.
#pragma once

namespace fedsync::cli {

class CliApp;

void runLogin(CliApp &app);
void runLogout(CliApp &app);
void runWhoami(CliApp &app);

} // namespace fedsync::cli
