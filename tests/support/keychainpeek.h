// What the Secret Service holds for Fedsync, read with secret-tool (libsecret's own client), not
// through Fedsync: tests check what really reached the keychain. `secret-tool lookup` with the exact
// attributes QtKeychain writes (server, user), never `search`, whose output interleaves the secret with
// buffered text and so cannot be parsed reliably from a pipe.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace fedsync {
struct Profile;
struct SessionBinding;
namespace test {
class Sandbox;
}
} // namespace fedsync

namespace keychainpeek {

// The value stored under (service, key), base64-decoded as QtKeychain stores binary values; nullopt
// when secret-tool finds nothing (or fails).
std::optional<QByteArray> lookup(const QString &key, const QString &service = QStringLiteral("Fedsync"));

// The session entry stored for `profile` (its sourceFile decides the namespace) and `binding`, as JSON;
// empty when there is none.
QJsonObject sessionEntry(const fedsync::Profile &profile, const fedsync::SessionBinding &binding);

// The same for the sandbox's profile loaded from `profileFile`, signed in as sandbox user `user`.
QJsonObject sessionEntry(const fedsync::test::Sandbox &sandbox, const QString &profileFile, int user);
// That session's keychain key.
QString sessionKey(const fedsync::test::Sandbox &sandbox, const QString &profileFile, int user);

// The copy of that session's AWS credentials in the kernel's user keyring, read with keyctl (keyutils),
// not through Fedsync: the key "Fedsync/<session key>/aws". `permissions` receives the key's permission
// mask as keyctl prints it (e.g. "3f3f0000"). Empty when there is none.
struct KernelKey
{
    QJsonObject value;
    QString permissions;
};
KernelKey kernelKeyringCopy(const fedsync::test::Sandbox &sandbox, const QString &profileFile, int user);
// What is left of this uid's kernel keyring quota, in bytes (/proc/key-users); -1 when unknown.
qint64 kernelKeyringBytesLeft();

} // namespace keychainpeek
