// The JSON form of a dataset, shared by the editor's import/export and the CLI:
//   {"dataset": "prefs", "records": [{"key": "theme", "value": "dark"}, ...]}
// Reading also takes a plain object of text values ({"theme": "dark"}). read() checks the whole file
// (shape, keys, duplicates, Cognito's limits) before anyone writes a record, so an import applies all
// or nothing.
#pragma once

#include "sync/localstore.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace fedsync {

struct DatasetDocument
{
    QString dataset; // empty when the file does not name one (plain object form)
    QList<std::pair<QString, QString>> records;
};

class DatasetJson final
{
public:
    // The live records of `records` (removed ones are skipped), by key, indented.
    static QByteArray write(const QString &dataset, const QList<LocalRecord> &records);
    static StoreResult<DatasetDocument> read(const QByteArray &json);
};

} // namespace fedsync
