// The local store's errors for people: SQLite's result codes mapped to what happened, why and what to
// do ("sync.store.busy", ".full", ".corrupt", ".io", ".error"), and the store used before it was opened.
#pragma once

#include "common/sqlite.h"
#include "common/usererror.h"

#include <QString>

namespace fedsync {

// `what` names the operation (for the details and the log); `path` is the store's file.
UserError storeSqlError(const QString &path, const QString &what, const SqliteError &error);
UserError storeNotOpen(const QString &path);

} // namespace fedsync
