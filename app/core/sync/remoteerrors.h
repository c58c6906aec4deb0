// What both remotes (Cognito Sync and the DynamoDB store) say alike about a failed call: one wording for
// a failure on the service's side.
#pragma once

#include "aws/awserror.h"
#include "sync/syncremote.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace fedsync {

class RemoteErrors final
{
    Q_DECLARE_TR_FUNCTIONS(RemoteErrors)

public:
    // The service failed on its side (HTTP 5xx, or an error still worth retrying after the client's
    // attempts): RemoteErrorKind::Network, "The sync service has a problem", with the status and the
    // attempts after `why` (the service's words). Nothing for any other failure.
    static std::optional<RemoteError> serviceProblem(const aws::AwsFailure &failure, const QString &code,
                                                     const QString &why, const QString &details);
};

} // namespace fedsync
