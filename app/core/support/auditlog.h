// The support audit log: one JSON line per support write, appended to a local file only its owner may
// read (0600): who (the staff ARN, or the access key's last 4 characters), when, which identity, dataset
// and key, the operation and whether the service accepted it. Never the value.
#pragma once

#include "common/usererror.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace fedsync::support {

struct AuditEntry
{
    QDateTime time; // UTC
    QString who;
    QString identityId;
    QString dataset;
    QString key;
    QString operation; // "replace" or "remove"
    QString outcome;   // "ok", or the error code when the service refused

    QJsonObject toJson() const;
    static AuditEntry fromJson(const QJsonObject &json);
};

class AuditLog final
{
    Q_DECLARE_TR_FUNCTIONS(AuditLog)

public:
    explicit AuditLog(QString path);

    // AppDataLocation/support/audit.log.
    static QString defaultPath();
    QString path() const { return m_path; }

    // Appends one line (the file is created 0600, its folder 0700). Never rewrites what is there.
    UserError append(const AuditEntry &entry) const;
    // Every entry, oldest first; unreadable lines are skipped.
    QList<AuditEntry> entries(UserError *error = nullptr) const;

private:
    QString m_path;
};

} // namespace fedsync::support
