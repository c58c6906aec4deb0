// Checks a profile before it is used or saved, and says for each problem which field, what is wrong,
// why it matters and what to type instead. The errors people actually hit with Auth0 + Cognito (a URL
// pasted as the domain, the Logins key with "https://", a pool from another region...) are caught here
// rather than surfacing later as "Invalid login token".
#pragma once

#include "common/usererror.h"
#include "config/profile.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace fedsync {

struct ProfileIssue
{
    enum class Severity {
        Error,   // the profile cannot be used as it is
        Warning, // it works, but not as well as it could (e.g. no silent sign-in)
    };

    QString field; // the profile file's key path: "auth0.domain", "cognito.endpoints.sts", "ca_file"...
    UserError error;
    Severity severity = Severity::Error;
};

class ProfileValidator final
{
    Q_DECLARE_TR_FUNCTIONS(ProfileValidator)

public:
    // Every issue found (empty = valid). Checks the normalized profile, so tolerated forms such as a
    // domain written "https://tenant.auth0.com/" are not reported.
    static QList<ProfileIssue> validate(const Profile &profile);

    // The profile with tolerated forms tidied up: spaces trimmed, the domain's "https://" and trailing
    // slashes dropped, the scope's extra spaces collapsed. Save what this returns.
    static Profile normalize(Profile profile);

    static bool hasErrors(const QList<ProfileIssue> &issues);
};

} // namespace fedsync
