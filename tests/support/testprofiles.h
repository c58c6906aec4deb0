// Profiles for tests: the smallest one that passes ProfileValidator (an Auth0 side only, no AWS side).
#pragma once

#include "config/profile.h"

namespace fedsync::test {

inline Profile minimalProfile(const QString &name)
{
    Profile p;
    p.name = name;
    p.auth0.domain = QStringLiteral("tenant.auth0.com");
    p.auth0.clientId = QStringLiteral("abc");
    return p;
}

} // namespace fedsync::test
