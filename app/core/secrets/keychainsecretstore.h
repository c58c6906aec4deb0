// The OS keychain as a SecretStore, through QtKeychain: the Secret Service (GNOME Keyring, KWallet) on
// Linux, the Keychain on macOS, the Credential Manager on Windows. Entries live under one service name
// ("Fedsync" by default) with the SecretStore key as the account; on Linux, `secret-tool lookup server
// Fedsync user <key>` finds them. Never falls back to a plaintext file, and never waits forever for a
// keyring that waits for an unlock prompt: an operation that does not answer in time reports Locked.
#pragma once

#include "secrets/secretstore.h"

#include <chrono>
#include <memory>

namespace QKeychain {
class Job;
}

namespace fedsync {

class KernelKeyring;

class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    static QString defaultServiceName(); // "Fedsync"
    static constexpr std::chrono::milliseconds defaultTimeout{std::chrono::seconds(20)};

    explicit KeychainSecretStore(QObject *parent = nullptr);
    explicit KeychainSecretStore(const QString &serviceName, QObject *parent = nullptr);
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
    void start(QKeychain::Job *job, Operation operation, const QString &key, QObject *context, Callback done);

    QString m_serviceName;
    std::chrono::milliseconds m_timeout = defaultTimeout;
    mutable std::unique_ptr<KernelKeyring> m_kernelKeyring; // made on first use
};

} // namespace fedsync
