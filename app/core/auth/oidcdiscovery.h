// The provider metadata Fedsync uses from /.well-known/openid-configuration, parsed and checked.
#pragma once

#include "common/usererror.h"

#include <QJsonObject>
#include <QStringList>
#include <QUrl>

namespace fedsync {

struct OidcDiscovery
{
    QString issuer; // exactly as published, trailing slash included
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QUrl jwksUri;
    QUrl userinfoEndpoint;
    QUrl endSessionEndpoint; // optional; Auth0's logout is /v2/logout
    QStringList idTokenSigningAlgs;

    // Parses the document and checks it belongs to `expectedIssuer` (a mismatch means a wrong domain
    // or a proxy in the way) and that every endpoint is https (or loopback http).
    static OidcDiscovery parse(const QByteArray &json, const QString &expectedIssuer, UserError *error);
};

} // namespace fedsync
