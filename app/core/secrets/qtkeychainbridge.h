// QtKeychain behind a plugin (fedsync_qtkeychain.so), loaded the first time the keychain is reached
// through QtKeychain: KWallet in a KDE session, the Keychain on macOS, the Credential Manager on Windows.
// On a Linux desktop with a Secret Service Fedsync talks to it itself (SecretServiceClient) and never
// maps QtKeychain (0.1 MiB of every window's memory when it was linked in: docs/PERFORMANCE.md).
// The plugin holds only QtKeychain calls; what an answer means is keychainResultFor()'s job, here.
#pragma once

#include "common/usererror.h"
#include "secrets/secretstore.h"

#include <QByteArray>
#include <QString>
#include <QtPlugin>

#include <functional>

namespace fedsync {

class QtKeychainBridge
{
public:
    struct Answer
    {
        int error = 0; // a QKeychain::Error
        QString errorString;
        QByteArray data; // what a read found
    };

    virtual ~QtKeychainBridge() = default;
    // Runs one QtKeychain job for `key` under `service` (never with QtKeychain's plaintext fallback);
    // `done` is called once, on this thread, when it ends. `value` is written by a Write.
    virtual void start(SecretResult::Operation operation, const QString &service, const QString &key,
                       const QByteArray &value, std::function<void(Answer)> done) = 0;
};

// The plugin's bridge, loaded once per process; null with `error` saying why when it cannot be loaded.
QtKeychainBridge *loadQtKeychainBridge(UserError *error);

} // namespace fedsync

#define FedsyncQtKeychainBridge_iid "org.fedsync.QtKeychainBridge/1"
Q_DECLARE_INTERFACE(fedsync::QtKeychainBridge, FedsyncQtKeychainBridge_iid)
