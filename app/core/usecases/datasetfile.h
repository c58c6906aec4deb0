// A dataset's JSON file (DatasetJson) read from or written to disk, with the errors worded once for the
// window and the CLI. Writing is atomic (QSaveFile): a failed export leaves the old file as it was.
#pragma once

#include "sync/datasetjson.h"

namespace fedsync {

class DatasetFile final
{
public:
    static StoreResult<DatasetDocument> read(const QString &path);
    static UserError write(const QString &path, const QString &dataset, const QList<LocalRecord> &records);
};

} // namespace fedsync
