// The Linux kernel's user keyring as the volatile tier (keyrings(7)): each value is a "user" key named
// "<service>/<key>" in the keyring of the user's uid, readable by that user's processes only, with a
// timeout, so the kernel forgets it when the secret it copies expires. The payload lives in kernel memory
// (not swapped, not on disk) and one read is two system calls, where the Secret Service costs a D-Bus
// session with a Diffie-Hellman exchange in every process. Unavailable elsewhere, and where a seccomp
// policy refuses the keyring calls (many containers): isAvailable() is false and nothing is kept.
#pragma once

#include "secrets/volatilesecrets.h"

namespace fedsync {

class KernelKeyring final : public VolatileSecrets
{
public:
    // `service` prefixes every key, as the keychain's service name does ("Fedsync").
    explicit KernelKeyring(QString service);

    bool isAvailable() const { return m_available; }

    bool put(const QString &key, const QByteArray &value, const QDateTime &until) override;
    QByteArray get(const QString &key) const override;
    void drop(const QString &key) override;

    // The largest value put() accepts (the kernel's quota for an ordinary user is 20,000 bytes in all).
    static constexpr int MaxValueBytes = 8192;

private:
    QByteArray description(const QString &key) const;

    QString m_service;
    bool m_available = false;
};

} // namespace fedsync
