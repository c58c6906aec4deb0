// A volatile tier beside the keychain: small secrets the operating system keeps in its own memory (never
// on disk) for a limited time, shared by the user's processes and read without a round trip. On Linux
// it is the kernel's user keyring (KernelKeyring); it holds only copies with an end (the AWS credentials
// cached with a session, until they expire), never what the keychain alone must keep (refresh tokens).
// Every call is synchronous and cheap (a system call), and failure is silent: the keychain stays the
// store of record, so a tier that refuses only costs the fast path.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace fedsync {

class VolatileSecrets
{
public:
    virtual ~VolatileSecrets() = default;

    // Keeps `value` under `key` until `until` (the OS forgets it then); false when refused.
    virtual bool put(const QString &key, const QByteArray &value, const QDateTime &until) = 0;
    // The value under `key`, empty when none is kept (or it has run out).
    virtual QByteArray get(const QString &key) const = 0;
    // Forgets `key` in every process of the user at once.
    virtual void drop(const QString &key) = 0;
};

} // namespace fedsync
