// What Auth0's token endpoint returns (authorization_code and refresh_token grants), and its errors
// turned into messages for people.
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace fedsync {

struct TokenResponse
{
    QString idToken;
    QString accessToken;
    QString refreshToken; // empty when none was issued (no offline_access) or not rotated
    QString tokenType;
    QString scope;
    QDateTime accessTokenExpiresAt;

    // Parses a 200 reply; any other status becomes an error from the OAuth `error` field.
    static TokenResponse parse(int httpStatus, const QByteArray &body, const QDateTime &now, UserError *error);
    void wipe();
};

} // namespace fedsync
