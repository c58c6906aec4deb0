#include "sync/synclimits.h"

#include <QRegularExpression>

namespace fedsync {

qsizetype SyncLimits::characterCount(const QString &text)
{
    return text.toUcs4().size();
}

qint64 SyncLimits::recordBytes(const QString &key, const std::optional<QString> &value)
{
    return value ? key.toUtf8().size() + value->toUtf8().size() : 0;
}

UserError SyncLimits::checkDatasetName(const QString &name)
{
    static const QRegularExpression pattern(
        QStringLiteral("\\A[a-zA-Z0-9_.:-]{1,%1}\\z").arg(MaxDatasetNameLength));
    if (pattern.match(name).hasMatch())
        return {};
    return UserError::make(QStringLiteral("sync.limit.datasetName"),
                           tr("“%1” cannot be a dataset name").arg(name),
                           tr("A dataset name has 1 to %1 characters among letters, digits and _ . : -")
                               .arg(MaxDatasetNameLength),
                           tr("Choose another name"));
}

UserError SyncLimits::checkKey(const QString &key, int maxLength)
{
    if (key.isEmpty())
        return UserError::make(QStringLiteral("sync.limit.key.empty"), tr("A record key must not be empty"),
                               {}, tr("Type a key"));
    const qsizetype characters = characterCount(key);
    if (characters <= maxLength)
        return {};
    return UserError::make(QStringLiteral("sync.limit.key"),
                           tr("A record key must not be longer than %1 characters").arg(maxLength),
                           tr("This key has %1 characters").arg(characters), tr("Choose a shorter key"));
}

QString SyncLimits::sizeRule()
{
    return tr("A dataset holds at most 1 MB (%1 KB)").arg(MaxDatasetBytes / 1024);
}

QString SyncLimits::recordsRule()
{
    return tr("A dataset holds at most %1 records").arg(MaxRecordsPerDataset);
}

QString SyncLimits::datasetsRule()
{
    return tr("Cognito Sync keeps at most %1 datasets per user").arg(MaxDatasets);
}

QString SyncLimits::datasetLabel(const QString &dataset)
{
    return dataset.isEmpty() ? tr("your datasets") : tr("the dataset “%1”").arg(dataset);
}

RemoteError SyncLimits::exceeded(const QString &dataset, const QString &why, const QString &details)
{
    return RemoteError::make(
        RemoteErrorKind::LimitExceeded,
        UserError::make(QStringLiteral("sync.remote.LimitExceededException"),
                        tr("%1 is over the sync service's limits").arg(datasetLabel(dataset)), why,
                        tr("Remove records or datasets you no longer need (at most %1 datasets of 1 MB "
                           "each), then synchronize again")
                            .arg(MaxDatasets),
                        details));
}

} // namespace fedsync
