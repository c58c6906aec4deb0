// An error answered by an AWS service, read from whichever of the three wire protocols it speaks (JSON 1.1
// `__type`, REST-JSON `x-amzn-ErrorType`, Query XML `<ErrorResponse>`), with what the retry logic needs to
// know about it. A body that is not an AWS error at all (a proxy's HTML page, nothing, cut-off JSON) still
// gives a typed error that says so; parsing never fails.
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QNetworkReply>
#include <QString>

namespace fedsync::aws {

enum class AwsProtocol { Json11, RestJson, Query };

struct AwsError
{
    QString type;    // "NotAuthorizedException" (namespace prefix and ":…" suffix removed)
    QString message; // the service's text as sent (may be empty); redact before showing it
    int httpStatus = 0;
    QString requestId;
    QDateTime serverDate;          // the reply's Date header (UTC), when it had one
    bool unrecognizedBody = false; // the body was not an AWS error document

    bool isError() const { return !type.isEmpty(); }
    // Throttling: a code of the throttling family, or HTTP 429.
    bool isThrottling() const;
    // The service says the request's time is off (expired or too skewed).
    bool isClockSkew() const;
    // A signature failure that a wrong local clock could explain: skew when the Date header is far off.
    bool isPossiblyClockSkew() const;
    // Worth another attempt: 5xx, throttling, a transient code.
    bool isRetryable() const;
    // "NotAuthorizedException (HTTP 400): Invalid login token." (not redacted)
    QString toString() const;

    static AwsError parse(AwsProtocol protocol, int httpStatus,
                          const QList<QNetworkReply::RawHeaderPair> &headers, const QByteArray &body);
    // RFC 7231 date ("Sun, 06 Nov 1994 08:49:37 GMT"); invalid when unparsable.
    static QDateTime parseHttpDate(const QByteArray &value);
};

// How a call to AWS failed: always a person-readable error, plus the service's error when the service
// answered (aws.isError() is false for transport failures, refusals and cancellations).
struct AwsFailure
{
    UserError error;
    AwsError aws;
    int attempts = 0;

    bool isError() const { return error.isError(); }
    bool isTransport() const { return error.isError() && !aws.isError(); }
};

} // namespace fedsync::aws

Q_DECLARE_METATYPE(fedsync::aws::AwsError)
