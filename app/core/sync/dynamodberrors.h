// How the DynamoDB store's failures read to a person: service errors mapped to RemoteErrorKinds with
// texts that say what to do, and the checks made before sending (SyncLimits: Cognito Sync's limits and texts).
#pragma once

#include "aws/awserror.h"
#include "sync/syncremote.h"

#include <QJsonObject>

#include <initializer_list>

namespace fedsync::dynamodb::errors {

QString datasetLabel(const QString &dataset);
RemoteError conflict(const QString &dataset, const QString &why);
RemoteError limitExceeded(const QString &dataset, const QString &why);
RemoteError invalid(const QString &dataset, const QString &why);
RemoteError badReply(const QString &operation, const QString &problem);
RemoteError errorFor(const aws::AwsFailure &failure, const QString &operation, const QString &dataset,
                     const QString &table);
// SyncLimits' dataset name and (service) key rules, as the service's InvalidParameterException.
std::optional<RemoteError> checkName(const QString &dataset);
std::optional<RemoteError> checkKey(const QString &dataset, const QString &key);
// ExpressionAttributeNames mapping #<name> to <name> for each.
QJsonObject names(std::initializer_list<QString> list);

} // namespace fedsync::dynamodb::errors
