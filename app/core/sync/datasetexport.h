// A dataset as a JSON document, for export and import (the CLI's `export` / `import`):
//   {"dataset": "notes", "records": [{"key": "title", "value": "Groceries"}, ...]}
// Live records only, sorted by key. Reading checks the whole document, and checking it against a store
// tells whether every record would fit, so an import either applies completely or not at all.
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace fedsync {

class LocalStore;

struct DatasetExport
{
    QString dataset;
    QList<QPair<QString, QString>> records; // key, value

    // Indented JSON with a final newline.
    QByteArray toJson() const;
    // The live records of `dataset` in `store`; error when the dataset does not exist (or is deleted).
    static std::optional<DatasetExport> fromStore(const LocalStore &store, const QString &dataset,
                                                  UserError *error);
    // Parses and validates a document: an object with a "records" list of {"key": string, "value": string},
    // keys valid and unique; "dataset" optional but a valid name when present. The first problem is told
    // with its place ("records[3].key").
    static std::optional<DatasetExport> fromJson(const QByteArray &json, UserError *error);

    // Whether writing these records into the dataset `target` of `store` stays within the limits (records,
    // size, number of datasets) and the dataset can take writes. Nothing is written.
    UserError checkFits(const LocalStore &store, const QString &target) const;
    // Writes the records whose value differs into `target` (pending until the next sync). Call
    // checkFits() first; returns how many records changed.
    int applyTo(LocalStore &store, const QString &target, UserError *error) const;
};

} // namespace fedsync
