// Fedsync's own plugins (the login window, QtKeychain): looked for next to the executable (a build tree)
// and in ../lib/fedsync (an installed tree), in that order, and loaded once per process.
#pragma once

#include <QStringList>

class QObject;

namespace fedsync {

QStringList pluginCandidates(const QString &fileName);

// The root object of the first candidate that loads and is a `iid` plugin, kept loaded for the process's
// life (every symbol resolved at load, so a mismatched plugin fails here, not later). Null when none
// does; `reason` then says why (where it was looked for, or the loader's error).
QObject *loadFedsyncPlugin(const QString &fileName, const char *iid, QString *reason);

} // namespace fedsync
