// The values the support console passes around: a Cognito identity as ListIdentities / DescribeIdentity
// give it, an identity's Cognito Sync usage, and an identity found through the directory (with its
// identity card). JSON forms use snake_case keys with the AWS fields' meanings (the CLI's --json).
#pragma once

#include "sync/identitycard.h"
#include "sync/syncremote.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace fedsync::support {

struct IdentityInfo
{
    QString identityId;
    QStringList logins; // provider names only: AWS never shows the user's subject id
    QDateTime created;
    QDateTime lastModified;

    static IdentityInfo fromAws(const QJsonObject &json); // {IdentityId, Logins, CreationDate, ...}
    QJsonObject toJson() const;                           // {identity_id, logins, creation_date, ...}
};

struct IdentityPage
{
    QList<IdentityInfo> identities;
    QString nextToken; // empty on the last page
};

struct IdentityUsage
{
    QString identityId;
    qint64 datasetCount = 0;
    qint64 dataStorage = 0; // bytes
    QDateTime lastModified;
    qint64 recordCount = -1; // -1: not known (Cognito Sync's DescribeIdentityUsage does not say)
    QString source;          // "cognito-sync" (DescribeIdentityUsage) or "dynamodb" (computed)

    // The usage computed from an identity's datasets (a DynamoDB store has no DescribeIdentityUsage).
    static IdentityUsage fromDatasets(const QString &identityId, const QList<RemoteDataset> &datasets);
    QJsonObject toJson() const;
};

// An identity with what the directory knows of its user (the card may be invalid: none found).
struct FoundIdentity
{
    IdentityInfo identity;
    IdentityCard card;

    QJsonObject toJson() const;
};

QJsonObject datasetToJson(const RemoteDataset &dataset);
QJsonObject cardToJson(const IdentityCard &card);
// ISO 8601 in UTC, or null for an invalid time.
QJsonValue timeJson(const QDateTime &time);
QDateTime fromEpochSeconds(const QJsonValue &value);

} // namespace fedsync::support

Q_DECLARE_METATYPE(fedsync::support::IdentityInfo)
