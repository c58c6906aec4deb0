// The OS keychain as a SecretStore: on Linux the Secret Service (GNOME Keyring, KeePassXC, KWallet 5.97+)
// through SecretServiceClient, or KWallet through QtKeychain in a KDE session; through QtKeychain the
// Keychain on macOS and the Credential Manager on Windows. Entries live under one service name
// ("Fedsync" by default) with the SecretStore key as the account; on Linux, `secret-tool lookup server
// Fedsync user <key>` finds them. Never falls back to a plaintext file, and never waits forever for a
// keyring that waits for an unlock prompt: an operation that does not answer in time reports Locked.
#pragma once

#include "secrets/secretstore.h"

#include <chrono>
#include <memory>

namespace fedsync {

class KernelKeyring;
class SecretServiceClient;

class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    static QString defaultServiceName(); // "Fedsync"
    static constexpr std::chrono::milliseconds defaultTimeout{std::chrono::seconds(20)};

    // Automatic: SecretServiceClient where it is preferred (SecretServiceClient::preferredHere), else
    // QtKeychain. QtKeychain: always QtKeychain (tests of the entries earlier versions wrote).
    enum class Backend { Automatic, QtKeychain };

    explicit KeychainSecretStore(QObject *parent = nullptr);
    explicit KeychainSecretStore(const QString &serviceName, QObject *parent = nullptr);
    KeychainSecretStore(const QString &serviceName, Backend backend, QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    QString serviceName() const { return m_serviceName; }

    // How long one operation may take before it is reported as Locked. Applies to later calls.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    void read(const QString &key, QObject *context, Callback done) override;
    void write(const QString &key, const QByteArray &value, QObject *context, Callback done) override;
    void remove(const QString &key, QObject *context, Callback done) override;
    // On Linux, the kernel's user keyring (the Secret Service opens an encrypted D-Bus session in every
    // process, the costliest part of a command that only needs cached credentials); null elsewhere.
    VolatileSecrets *volatileTier() const override;

private:
    // Through QtKeychain (its plugin, loaded on first use).
    void startQtKeychain(Operation operation, const QString &key, const QByteArray &value, QObject *context,
                         Callback done);
    // Starts the timeout of an operation SecretServiceClient carries; returns where its answer goes.
    std::function<void(SecretResult)> pend(Operation operation, const QString &key, QObject *context,
                                           Callback done);

    QString m_serviceName;
    std::chrono::milliseconds m_timeout = defaultTimeout;
    SecretServiceClient *m_secretService = nullptr;         // a child; null where QtKeychain serves
    mutable std::unique_ptr<KernelKeyring> m_kernelKeyring; // made on first use
};

} // namespace fedsync
