// Where Fedsync's own plugins (the login window, QtKeychain) are looked for: next to the executable
// (a build tree) and in ../lib/fedsync (an installed tree), in that order.
#pragma once

#include <QStringList>

namespace fedsync {

QStringList pluginCandidates(const QString &fileName);

} // namespace fedsync
