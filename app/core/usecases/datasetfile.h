// A dataset's JSON file (DatasetJson) read from or written to disk, and what importing it means, the same
// for the window and the CLI: errors worded once; writing is atomic (QSaveFile: a failed export leaves
// the old file as it was); an import writes only the records whose value differs, so only those become
// pending changes, all or nothing.
#pragma once

#include "sync/datasetjson.h"

#include <utility>

class QIODevice;

namespace fedsync {

class LocalStore;

class DatasetFile final
{
public:
    using Records = QList<std::pair<QString, QString>>;

    static StoreResult<DatasetDocument> read(const QString &path);
    // From an open device (standard input); `name` says what it is in an error.
    static StoreResult<DatasetDocument> read(QIODevice &device, const QString &name);
    static UserError write(const QString &path, const QString &dataset, const QList<LocalRecord> &records);
    // The dataset as `store` holds it now.
    static UserError write(const QString &path, const LocalStore &store, const QString &dataset);

    // The records of an import that change `dataset`: new keys and keys with another value, in the
    // document's order. Writing only these (one LocalStore::putValues) is the import.
    static StoreResult<Records> changedRecords(const LocalStore &store, const QString &dataset,
                                               const Records &imported);

    // What importing the file at `path` writes: into `dataset`, or when that is empty into the dataset the
    // file names; only the records that change it (`changed`) out of the file's `total`.
    struct ImportPlan
    {
        QString dataset;
        Records changed;
        qsizetype total = 0;
    };
    static StoreResult<ImportPlan> planImport(const LocalStore &store, const QString &path, QString dataset);
};

} // namespace fedsync
