#include "config/appidentity.h"

#include "buildinfo.h"

#include <QCoreApplication>
#include <QSettings>

namespace fedsync {

void applyApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QString::fromLatin1(buildinfo::organizationName));
    QCoreApplication::setOrganizationDomain(QString::fromLatin1(buildinfo::organizationDomain));
    QCoreApplication::setApplicationName(QString::fromLatin1(buildinfo::applicationName));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(buildinfo::version));
}

QString settingsFilePath()
{
    return QSettings().fileName();
}

} // namespace fedsync
