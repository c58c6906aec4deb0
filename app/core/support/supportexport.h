// Exports one identity's datasets for support: JSON (identity, then datasets with their records) or
// CSV (one row per record). Values are masked ("•" x length, capped) unless the staff member asks for
// them; keys, sync counts and dates are always shown.
#pragma once

#include "sync/synctypes.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace fedsync::support {

struct DatasetRecords
{
    QString dataset;
    QList<SyncRecord> records;
};

class SupportExport final
{
public:
    static QString mask(const QString &value);
    static QByteArray toJson(const QString &identityId, const QList<DatasetRecords> &datasets,
                             bool revealValues);
    // Header: identity_id,dataset_name,key,value,sync_count,last_modified_date,last_modified_by (RFC 4180).
    static QByteArray toCsv(const QString &identityId, const QList<DatasetRecords> &datasets,
                            bool revealValues);
    static QString csvField(const QString &text);
};

} // namespace fedsync::support
