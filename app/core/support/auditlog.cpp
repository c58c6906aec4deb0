#include "support/auditlog.h"

#include "log/logcategories.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

namespace fedsync::support {

QJsonObject AuditEntry::toJson() const
{
    return {{QStringLiteral("time"), time.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("who"), who},
            {QStringLiteral("identity_id"), identityId},
            {QStringLiteral("dataset_name"), dataset},
            {QStringLiteral("key"), key},
            {QStringLiteral("op"), operation},
            {QStringLiteral("outcome"), outcome}};
}

AuditEntry AuditEntry::fromJson(const QJsonObject &json)
{
    AuditEntry entry;
    entry.time = QDateTime::fromString(json.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    entry.who = json.value(QStringLiteral("who")).toString();
    entry.identityId = json.value(QStringLiteral("identity_id")).toString();
    entry.dataset = json.value(QStringLiteral("dataset_name")).toString();
    entry.key = json.value(QStringLiteral("key")).toString();
    entry.operation = json.value(QStringLiteral("op")).toString();
    entry.outcome = json.value(QStringLiteral("outcome")).toString();
    return entry;
}

AuditLog::AuditLog(QString path)
    : m_path(std::move(path))
{}

QString AuditLog::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/support/audit.log");
}

UserError AuditLog::append(const AuditEntry &entry) const
{
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().exists(folder)) {
        QDir().mkpath(folder);
        QFile::setPermissions(folder,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    QFile file(m_path);
    const bool existed = file.exists();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        return UserError::make(QStringLiteral("support.audit.io"),
                               tr("The support audit log could not be written"), file.errorString(),
                               tr("Check that %1 is writable").arg(QDir::toNativeSeparators(m_path)));
    }
    if (!existed)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QByteArray line = QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact) + '\n';
    if (file.write(line) != line.size() || !file.flush()) {
        return UserError::make(QStringLiteral("support.audit.io"),
                               tr("The support audit log could not be written"), file.errorString(),
                               tr("Check the free space on that disk"));
    }
    qCDebug(lcSupport) << "audit entry written";
    return {};
}

QList<AuditEntry> AuditLog::entries(UserError *error) const
{
    QList<AuditEntry> result;
    QFile file(m_path);
    if (!file.exists())
        return result;
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = UserError::make(QStringLiteral("support.audit.io"),
                                     tr("The support audit log could not be read"), file.errorString());
        return result;
    }
    while (!file.atEnd()) {
        const QJsonDocument line = QJsonDocument::fromJson(file.readLine());
        if (line.isObject())
            result << AuditEntry::fromJson(line.object());
    }
    return result;
}

} // namespace fedsync::support
