// Finds and loads the login-window plugin (fedsync_loginwindow.so) the first time a page must be shown:
// next to the executable (the build tree), then in ../lib/fedsync (an installed tree). The plugin stays
// loaded for the rest of the process (WebEngine cannot be unloaded).
#pragma once

#include "common/usererror.h"

namespace fedsync::ui {

class LoginWindowFactory;

// The factory, or null with `error` saying what is missing and what to do.
LoginWindowFactory *loadLoginWindowFactory(UserError *error);

} // namespace fedsync::ui
