#include "common/pluginfiles.h"

#include "log/logcategories.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPluginLoader>

#include <memory>

namespace fedsync {

QStringList pluginCandidates(const QString &fileName)
{
    const QDir appDir(QCoreApplication::applicationDirPath());
    return {appDir.filePath(fileName), appDir.filePath(QStringLiteral("../lib/fedsync/") + fileName)};
}

QObject *loadFedsyncPlugin(const QString &fileName, const char *iid, QString *reason)
{
    const QStringList candidates = pluginCandidates(fileName);
    QString why = QCoreApplication::translate("Plugins", "It is in none of: %1")
                      .arg(candidates.join(QStringLiteral(", ")));
    for (const QString &path : candidates) {
        if (!QFileInfo::exists(path))
            continue;
        auto loader = std::make_unique<QPluginLoader>(path);
        loader->setLoadHints(QLibrary::PreventUnloadHint | QLibrary::ResolveAllSymbolsHint);
        QObject *instance = loader->instance();
        if (instance && instance->qt_metacast(iid)) {
            qCInfo(lcApp) << "Loaded" << fileName << "from" << path;
            loader.release(); // stays loaded: its objects live as long as the process
            return instance;
        }
        why = instance ? QCoreApplication::translate("Plugins", "%1 is not a %2 plugin")
                             .arg(path, QLatin1String(iid))
                       : loader->errorString();
        qCWarning(lcApp) << "Could not load" << fileName << "from" << path << ":" << why;
    }
    if (reason)
        *reason = why;
    return nullptr;
}

} // namespace fedsync
