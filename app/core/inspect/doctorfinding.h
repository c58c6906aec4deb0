// One result of the setup doctor: which check, how it went, what was found and the exact fix.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace fedsync {

struct DoctorFinding
{
    enum class Status { Pass, Warn, Fail };

    QString id; // stable: "discovery", "issuer", "algorithm", "provider_name", "pool_region"...
    Status status = Status::Pass;
    QString message; // what was found (and why it matters)
    QString fix;     // the exact change to make; empty for a pass

    static QString statusName(Status status); // "pass", "warn", "fail"
    QJsonObject toJson() const;
    static bool anyFailed(const QList<DoctorFinding> &findings);
};

} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::DoctorFinding)
