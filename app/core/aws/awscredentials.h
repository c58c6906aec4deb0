// Temporary AWS credentials as Cognito Identity and STS hand them out: keys, session token, expiry, and
// the Cognito identity they belong to. Held in memory only; summary() is the only form that may be logged.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace fedsync::aws {

struct AwsCredentials
{
    QString accessKeyId;
    QByteArray secretAccessKey;
    QByteArray sessionToken;
    QDateTime expiration; // UTC; invalid for keys that do not expire
    QString identityId;   // the Cognito identity, when they came from Cognito
    QDateTime issued;     // when they were obtained (here or by another process); invalid when unknown

    bool isValid() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
    // True when they expire at or before now + seconds (invalid credentials always "expire").
    bool isExpiringWithin(qint64 seconds, const QDateTime &now) const;
    // "ASIA12…(20 chars), expires 2024-01-02T03:04:05Z, identity us-east-1:…" (redacted)
    QString summary() const;
};

// A service's epoch-seconds timestamp as a date, or an invalid QDateTime when it is not finite or lies
// outside 1970..9999 (a converted double that does not fit in 64 bits is undefined behaviour).
QDateTime dateFromEpochSeconds(double seconds);

} // namespace fedsync::aws

Q_DECLARE_METATYPE(fedsync::aws::AwsCredentials)
