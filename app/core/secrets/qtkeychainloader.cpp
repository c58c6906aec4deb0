#include "common/pluginfiles.h"
#include "log/logcategories.h"
#include "secrets/qtkeychainbridge.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPluginLoader>

#include <memory>

namespace fedsync {

QtKeychainBridge *loadQtKeychainBridge(UserError *error)
{
    static const QString pluginFile = QStringLiteral("fedsync_qtkeychain.so");
    static QPluginLoader *loader = nullptr; // kept loaded: a job may still call back into it
    if (loader)
        return qobject_cast<QtKeychainBridge *>(loader->instance());

    const QStringList candidates = pluginCandidates(pluginFile);
    QString reason = QCoreApplication::translate("KeychainSecretStore", "It is in none of: %1")
                         .arg(candidates.join(QStringLiteral(", ")));
    for (const QString &path : candidates) {
        if (!QFileInfo::exists(path))
            continue;
        auto candidate = std::make_unique<QPluginLoader>(path);
        candidate->setLoadHints(QLibrary::PreventUnloadHint | QLibrary::ResolveAllSymbolsHint);
        if (qobject_cast<QtKeychainBridge *>(candidate->instance())) {
            qCDebug(lcSecrets) << "loaded QtKeychain from" << path;
            loader = candidate.release();
            return qobject_cast<QtKeychainBridge *>(loader->instance());
        }
        reason = candidate->errorString();
        qCWarning(lcSecrets) << "could not load QtKeychain from" << path << ":" << reason;
    }
    if (error)
        *error = UserError::make(
            QStringLiteral("secrets.plugin"),
            QCoreApplication::translate("KeychainSecretStore", "The keychain could not be reached"),
            QCoreApplication::translate("KeychainSecretStore",
                                        "Fedsync's keychain part (%1) is missing or does not match this "
                                        "version of Fedsync")
                .arg(pluginFile),
            QCoreApplication::translate("KeychainSecretStore", "Reinstall Fedsync"),
            pluginFile + QStringLiteral(": ") + reason);
    return nullptr;
}

} // namespace fedsync
