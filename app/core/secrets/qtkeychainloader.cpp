#include "common/pluginfiles.h"
#include "secrets/qtkeychainbridge.h"

#include <QCoreApplication>

namespace fedsync {

QtKeychainBridge *loadQtKeychainBridge(UserError *error)
{
    static const QString pluginFile = QStringLiteral("fedsync_qtkeychain.so");
    static QtKeychainBridge *bridge = nullptr;
    if (bridge)
        return bridge;
    QString reason;
    bridge =
        qobject_cast<QtKeychainBridge *>(loadFedsyncPlugin(pluginFile, FedsyncQtKeychainBridge_iid, &reason));
    if (!bridge && error)
        *error = UserError::make(
            QStringLiteral("secrets.plugin"),
            QCoreApplication::translate("KeychainSecretStore", "The keychain could not be reached"),
            QCoreApplication::translate("KeychainSecretStore",
                                        "Fedsync's keychain part (%1) is missing or does not match this "
                                        "version of Fedsync")
                .arg(pluginFile),
            QCoreApplication::translate("KeychainSecretStore", "Reinstall Fedsync"),
            pluginFile + QStringLiteral(": ") + reason);
    return bridge;
}

} // namespace fedsync
