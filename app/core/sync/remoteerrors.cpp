#include "sync/remoteerrors.h"

namespace fedsync {

std::optional<RemoteError> RemoteErrors::serviceProblem(const aws::AwsFailure &failure, const QString &code,
                                                        const QString &why, const QString &details)
{
    const aws::AwsError &aws = failure.aws;
    if (aws.httpStatus < 500 && !aws.isRetryable())
        return std::nullopt;
    return RemoteError::make(
        RemoteErrorKind::Network,
        UserError::make(code, tr("The sync service has a problem"),
                        tr("%1 (HTTP %2, %3 attempts)").arg(why).arg(aws.httpStatus).arg(failure.attempts),
                        tr("Try again later"), details));
}

} // namespace fedsync
