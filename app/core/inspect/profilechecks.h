// The setup doctor's checks that need only the profile: the domain and its issuer, the Logins key
// (provider name), the identity pool id's shape and region, and the role ARN's shape. The live checks
// (SetupDoctor) add what the services say.
#pragma once

#include "config/profile.h"
#include "inspect/doctorfinding.h"

#include <QCoreApplication>

namespace fedsync {

class ProfileChecks final
{
    Q_DECLARE_TR_FUNCTIONS(ProfileChecks)

public:
    static QList<DoctorFinding> run(const Profile &profile);

    static DoctorFinding providerName(const Profile &profile);
    static DoctorFinding poolId(const Profile &profile);
    static DoctorFinding poolRegion(const Profile &profile);
    static DoctorFinding roleArn(const Profile &profile);
    static bool isRoleArn(const QString &arn);
};

} // namespace fedsync
