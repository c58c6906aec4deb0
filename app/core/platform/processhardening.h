// Process hardening done first thing in main(): no core dumps (they would carry tokens held in memory),
// files made readable by the owner only, no JIT-compiled regular expressions (no writable code).
#pragma once

namespace fedsync {

void hardenProcess();

} // namespace fedsync
