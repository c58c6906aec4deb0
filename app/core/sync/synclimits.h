// Amazon Cognito Sync's limits, checked in one place with one wording: what the local store, the editor,
// the import, the sync (keeping back what would not fit) and both remotes (Cognito Sync and the DynamoDB
// store, which keeps the same limits so that datasets move between the stores unchanged) say when a limit
// is reached. The numbers are the AWS SDKs' (docs: "Amazon Cognito Sync quotas").
#pragma once

#include "common/usererror.h"
#include "sync/syncremote.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace fedsync {

class SyncLimits final
{
    Q_DECLARE_TR_FUNCTIONS(SyncLimits)

public:
    static constexpr int MaxDatasets = 20; // per identity
    static constexpr int MaxRecordsPerDataset = 1024;
    static constexpr qint64 MaxDatasetBytes = 1024 * 1024; // keys + values, UTF-8
    static constexpr int MaxDatasetNameLength = 128;
    // What this app writes (the SDKs' limit); the service's API itself accepts keys up to 1024.
    static constexpr int MaxKeyLength = 128;
    static constexpr int MaxServiceKeyLength = 1024;

    // Characters as the service counts them (code points, not UTF-16 units: an emoji is one).
    static qsizetype characterCount(const QString &text);
    // The storage a record takes as the service counts it: key + value in UTF-8 (0 for a removal).
    static qint64 recordBytes(const QString &key, const std::optional<QString> &value);

    // "sync.limit.datasetName": 1 to 128 of [a-zA-Z0-9_.:-].
    static UserError checkDatasetName(const QString &name);
    // "sync.limit.key.empty" / "sync.limit.key": 1 to `maxLength` characters.
    static UserError checkKey(const QString &key, int maxLength = MaxKeyLength);

    // The rules in words, for the "why" of a message that adds its own figures.
    static QString sizeRule();    // "A dataset holds at most 1 MB (1024 KB)"
    static QString recordsRule(); // "A dataset holds at most 1024 records"
    static QString datasetsRule(); // "Cognito Sync keeps at most 20 datasets per user"

    // A remote's answer that a data limit was hit (Cognito Sync's LimitExceededException, or the same
    // check in the DynamoDB store): "<dataset> is over the sync service's limits", `why` being the
    // service's words, and what to do. `details` goes to the error's details.
    static RemoteError exceeded(const QString &dataset, const QString &why, const QString &details = {});

    // "the dataset “name”", or "your datasets" for a call about all of them.
    static QString datasetLabel(const QString &dataset);
};

} // namespace fedsync
