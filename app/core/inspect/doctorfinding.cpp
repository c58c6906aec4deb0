#include "inspect/doctorfinding.h"

namespace fedsync {

QString DoctorFinding::statusName(Status status)
{
    switch (status) {
    case Status::Pass:
        return QStringLiteral("pass");
    case Status::Warn:
        return QStringLiteral("warn");
    case Status::Fail:
        break;
    }
    return QStringLiteral("fail");
}

QJsonObject DoctorFinding::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("status"), statusName(status)},
            {QStringLiteral("message"), message},
            {QStringLiteral("fix"), fix}};
}

bool DoctorFinding::anyFailed(const QList<DoctorFinding> &findings)
{
    for (const DoctorFinding &f : findings)
        if (f.status == Status::Fail)
            return true;
    return false;
}

} // namespace fedsync
