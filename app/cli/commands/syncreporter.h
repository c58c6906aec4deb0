// What `fedsync-cli sync` prints while the shared SyncController (usecases/) runs, and the exit code it
// ends with: each dataset's result on stdout, conflicts and failures on stderr; a real failure first,
// then "try again later", then unresolved conflicts (see ExitCode).
#pragma once

#include <memory>

namespace fedsync {
class UserDatasets;
class SyncController;
} // namespace fedsync

namespace fedsync::cli {

class CliApp;

// Reports `sync`'s run and ends the command with its exit code when the run finishes.
void reportSync(CliApp &app, const std::shared_ptr<UserDatasets> &session, SyncController &sync);

} // namespace fedsync::cli
