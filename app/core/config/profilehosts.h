// The hosts a profile names itself: its Auth0 domain and the AWS endpoints its session talks to. A
// profile's extra CA file is trusted for these hosts only, never for a third-party identity provider's
// page the sign-in may lead to.
#pragma once

#include "config/endpointresolver.h"
#include "config/profile.h"

#include <QStringList>

namespace fedsync {

QStringList hostsNamedBy(const Profile &profile, const EndpointResolver &endpoints = EndpointResolver());

} // namespace fedsync
