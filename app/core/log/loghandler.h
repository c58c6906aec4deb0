// The process-wide Qt message handler for the executables: one line per message with the category,
// written to stderr, with scrubSecrets() applied as a last line of defence.
#pragma once

namespace fedsync {

void installLogHandler();

} // namespace fedsync
