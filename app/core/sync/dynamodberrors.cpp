#include "sync/dynamodberrors.h"
#include "common/errorcodes.h"

#include "log/redact.h"
#include "sync/remoteerrors.h"
#include "sync/synclimits.h"

#include <QCoreApplication>
#include <QStringList>

namespace fedsync::dynamodb::errors {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DynamoDbRemote", text);
}

bool isTransportCode(const QString &code)
{
    return code.startsWith(QLatin1String("net.")) && code != errorcode::NetTls &&
           code != errorcode::NetRefusedUrl;
}

} // namespace

QString datasetLabel(const QString &dataset)
{
    return SyncLimits::datasetLabel(dataset);
}

// ---- Errors ----------------------------------------------------------------------------------------

RemoteError conflict(const QString &dataset, const QString &why)
{
    return RemoteError::make(
        RemoteErrorKind::Conflict,
        UserError::make(
            QStringLiteral("sync.remote.ResourceConflictException"),
            tr("%1 changed on the server while this device was writing").arg(datasetLabel(dataset)),
            tr("Another device wrote to it at the same time (%1)").arg(why), tr("Synchronize again")));
}

// The same texts as Cognito Sync's LimitExceededException, so users meet one message on either store.
RemoteError limitExceeded(const QString &dataset, const QString &why)
{
    return SyncLimits::exceeded(dataset, why);
}

RemoteError invalid(const QString &dataset, const QString &why)
{
    return RemoteError::make(
        RemoteErrorKind::Other,
        UserError::make(QStringLiteral("sync.remote.InvalidParameterException"),
                        tr("The sync service refused the request for %1").arg(datasetLabel(dataset)), why,
                        tr("Check that the dataset name and keys are valid")));
}

RemoteError badReply(const QString &operation, const QString &problem)
{
    return RemoteError::make(
        RemoteErrorKind::Other,
        UserError::make(
            QStringLiteral("sync.remote.bad_reply"), tr("The DynamoDB table holds data Fedsync cannot read"),
            tr("%1: %2").arg(operation, problem),
            tr("Check that the profile's table is one Fedsync created (fedsync-cli setup dynamodb), "
               "and that the endpoint is DynamoDB")));
}

RemoteError errorFor(const aws::AwsFailure &failure, const QString &operation, const QString &dataset,
                     const QString &table)
{
    const aws::AwsError &aws = failure.aws;
    const QString details = failure.error.details.isEmpty()
                                ? QStringLiteral("dynamodb %1: %2").arg(operation, failure.error.code)
                                : failure.error.details;
    if (!aws.isError()) {
        if (isTransportCode(failure.error.code) || failure.error.code == errorcode::AwsCancelled)
            return RemoteError::make(RemoteErrorKind::Network, failure.error);
        if (failure.error.code.startsWith(QLatin1String("net.")))
            return RemoteError::make(RemoteErrorKind::Other, failure.error);
        return RemoteError::make(RemoteErrorKind::NotAuthorized, failure.error);
    }
    const QString code = QStringLiteral("sync.remote.") + aws.type;
    QString why = aws.type;
    if (!aws.message.isEmpty())
        why += QStringLiteral(": ") + scrubSecrets(aws.message);
    const QString &type = aws.type;
    if (type == QLatin1String("ConditionalCheckFailedException") ||
        type == QLatin1String("TransactionCanceledException") ||
        type == QLatin1String("TransactionConflictException"))
        return conflict(dataset, why);
    if (aws.isThrottling() || type == QLatin1String("RequestLimitExceeded"))
        return RemoteError::make(RemoteErrorKind::Throttled,
                                 UserError::make(code,
                                                 tr("The sync service is limiting this account's requests"),
                                                 why, tr("Wait a minute, then synchronize again"), details));
    if (type == QLatin1String("AccessDeniedException"))
        return RemoteError::make(
            RemoteErrorKind::NotAuthorized,
            UserError::make(
                code, tr("The DynamoDB table “%1” refused this identity").arg(table), why,
                tr("Give the identity pool's authenticated role the policy that `fedsync-cli setup "
                   "dynamodb` prints (it lets each identity reach only its own items)"),
                details));
    static const QStringList authTypes{
        QStringLiteral("ExpiredTokenException"), QStringLiteral("UnrecognizedClientException"),
        QStringLiteral("InvalidSignatureException"), QStringLiteral("MissingAuthenticationTokenException"),
        QStringLiteral("IncompleteSignatureException")};
    if (authTypes.contains(type) || aws.httpStatus == 401 || aws.httpStatus == 403)
        return RemoteError::make(RemoteErrorKind::NotAuthorized,
                                 UserError::make(code,
                                                 tr("The sync service refused this sign-in's credentials"),
                                                 why, tr("Sign in again"), details));
    if (type == QLatin1String("ResourceNotFoundException"))
        return RemoteError::make(
            RemoteErrorKind::Other,
            UserError::make(
                code, tr("The DynamoDB table “%1” does not exist").arg(table), why,
                tr("Create it (fedsync-cli setup dynamodb prints the command), or correct the table "
                   "name and region in the profile"),
                details));
    if (const std::optional<RemoteError> problem = RemoteErrors::serviceProblem(failure, code, why, details))
        return *problem;
    return RemoteError::make(
        RemoteErrorKind::Other,
        UserError::make(code, tr("The sync service refused the request for %1").arg(datasetLabel(dataset)),
                        why, tr("Report it with the details"), details));
}

std::optional<RemoteError> checkName(const QString &dataset)
{
    const UserError bad = SyncLimits::checkDatasetName(dataset);
    if (!bad.isError())
        return std::nullopt;
    return invalid(dataset, bad.why);
}

std::optional<RemoteError> checkKey(const QString &dataset, const QString &key)
{
    const UserError bad = SyncLimits::checkKey(key, SyncLimits::MaxServiceKeyLength);
    if (!bad.isError())
        return std::nullopt;
    return invalid(dataset, bad.what);
}

// ExpressionAttributeNames for every attribute named #<name>.
QJsonObject names(std::initializer_list<QString> list)
{
    QJsonObject out;
    for (const QString &name : list)
        out.insert(QLatin1Char('#') + name, name);
    return out;
}

} // namespace fedsync::dynamodb::errors
