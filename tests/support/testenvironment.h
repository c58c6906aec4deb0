// Test environment: every test program runs with its own temporary XDG config/data/cache/runtime
// directories, so no test reads or writes the developer's real settings.
#pragma once

#include <QString>

class QProcess;

namespace fedsync::test {

// Creates the temporary directories and points the XDG variables at them. Call before the
// Q*Application exists (FEDSYNC_TEST_MAIN does).
void setUpIsolatedEnvironment();

// The temporary root set up above.
QString isolatedRoot();

// The repository's top directory and the build's bin directory (set by CTest, with fallbacks).
QString sourceDir();
QString binDir();

// Stops a program a test started, if it still runs: SIGTERM, then SIGKILL after `graceMs`.
void stopProcess(QProcess &process, int graceMs = 10000);

} // namespace fedsync::test
