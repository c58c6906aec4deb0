// How the signed-in user is named to a person, the same in the window and in fedsync-cli.
#pragma once

#include <QString>

namespace fedsync {

struct IdTokenClaims;

namespace UserDisplay {

// The user's name: the `name` claim, else `nickname`, else `email`, else the subject (always set).
QString name(const IdTokenClaims &claims);
// The name followed by " <email>" when the email says something the name does not ("Ada <ada@x.org>").
QString nameWithEmail(const IdTokenClaims &claims);

} // namespace UserDisplay
} // namespace fedsync
