#include "common/pluginfiles.h"

#include <QCoreApplication>
#include <QDir>

namespace fedsync {

QStringList pluginCandidates(const QString &fileName)
{
    const QDir appDir(QCoreApplication::applicationDirPath());
    return {appDir.filePath(fileName), appDir.filePath(QStringLiteral("../lib/fedsync/") + fileName)};
}

} // namespace fedsync
