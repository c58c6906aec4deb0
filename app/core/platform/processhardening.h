// Process hardening done first thing in main(): no core dumps (they would carry tokens held in memory).
#pragma once

namespace fedsync {

void hardenProcess();

} // namespace fedsync
