// Tells "the service could not be reached now" (no network, a dead port, a server down or overloaded)
// apart from answers that need the user (a refused sign-in, a bad profile). The window works offline on
// the local data for the first kind and asks for the second.
#pragma once

#include "common/usererror.h"

namespace fedsync {

bool isServiceUnreachable(const UserError &error);

} // namespace fedsync
