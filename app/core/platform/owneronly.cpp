#include "platform/owneronly.h"

#include "config/appidentity.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#if defined(Q_OS_UNIX)
#include <sys/stat.h>
#endif

namespace fedsync {

void useOwnerOnlyUmask()
{
#if defined(Q_OS_UNIX)
    umask(S_IRWXG | S_IRWXO);
#endif
}

bool restrictToOwner(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return true;
    const QFile::Permissions wanted = info.isDir() ? QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                   : QFile::ReadOwner | QFile::WriteOwner;
    constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    const QFile::Permissions current = info.permissions();
    if (!(current & others) && (current & wanted) == wanted)
        return true;
    return QFile::setPermissions(path, wanted | QFile::ReadUser | QFile::WriteUser |
                                           (info.isDir() ? QFile::ExeUser : QFile::Permissions()));
}

bool restrictChainToOwner(const QString &path, const QString &top)
{
    const QString topPath = QDir::cleanPath(QFileInfo(top).absoluteFilePath());
    QString current = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    bool ok = restrictToOwner(current);
    if (current != topPath && !current.startsWith(topPath + QLatin1Char('/')))
        return ok;
    while (current != topPath && current.size() > topPath.size()) {
        current = QFileInfo(current).absolutePath();
        ok = restrictToOwner(current) && ok;
    }
    return ok;
}

void restrictApplicationFilesToOwner()
{
    const QString settings = settingsFilePath();
    restrictToOwner(QFileInfo(settings).absolutePath());
    restrictToOwner(settings);
    for (const auto location : {QStandardPaths::AppDataLocation, QStandardPaths::CacheLocation}) {
        const QString dir = QStandardPaths::writableLocation(location);
        if (!dir.isEmpty())
            restrictToOwner(dir);
    }
}

} // namespace fedsync
