// The local store's tables, version by version (PRAGMA user_version), and the migration of an older
// file: step by step, each step in its own BEGIN IMMEDIATE transaction, so another process opening the
// same file at the same time migrates nothing twice. A file from a newer version is refused.
#pragma once

#include "sync/storeconnection.h"

namespace fedsync {

class StoreSchema final
{
public:
    // The version this build writes.
    static int version();
    // The file's version.
    static StoreResult<int> fileVersion(const StoreConnection &connection);
    // Brings an open file to version(); an error leaves it at the last step that completed.
    static UserError migrate(StoreConnection &connection);
    // The statement that counts the statistics (live records, their bytes) of the datasets `where`
    // selects (" WHERE name = ?", or empty for all) from their records.
    static QString recountStatistics(const QString &where = {});
};

} // namespace fedsync
