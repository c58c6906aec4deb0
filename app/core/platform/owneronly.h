// What Fedsync keeps on disk (the settings file, the local SQLite store with its -wal/-shm files, caches,
// lock files) is for the user alone: folders 0700, files 0600. New files get that from the process's
// umask (set once at start); files and folders made by an older version, or by hand, are tightened
// when Fedsync opens them.
#pragma once

#include <QString>

namespace fedsync {

// umask(077): everything the process creates from now on is owner-only.
void useOwnerOnlyUmask();

// A folder becomes 0700, a file 0600 (other bits cleared, owner bits kept as needed). Missing paths are
// fine (true); false when the permissions could not be changed.
bool restrictToOwner(const QString &path);

// restrictToOwner() on `path` and on each parent folder up to and including `top` (when `path` lies
// under it): the whole chain Fedsync made, not the user's home or XDG folders above it.
bool restrictChainToOwner(const QString &path, const QString &top);

// The settings file and its folder, and Fedsync's data and cache folders (where they exist).
void restrictApplicationFilesToOwner();

} // namespace fedsync
