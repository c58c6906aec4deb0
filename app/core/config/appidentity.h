// The application's identity (names, version, domain) and where its per-user settings live.
// Executables call applyApplicationIdentity() right after creating the Q*Application.
#pragma once

#include <QString>

namespace fedsync {

void applyApplicationIdentity();

// The per-user settings file: $XDG_CONFIG_HOME/Fedsync/Fedsync.conf on Linux (QSettings' native
// user scope). Settings never hold a secret: tokens live in the OS keychain.
QString settingsFilePath();

} // namespace fedsync
