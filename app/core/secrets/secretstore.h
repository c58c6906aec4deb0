// Where tokens are kept: the one small, asynchronous interface every module uses to read, write and
// remove a secret (refresh token, ID token...). The OS keychain implements it (KeychainSecretStore),
// tests use MemorySecretStore (tests/support), and SessionFallbackSecretStore keeps sign-in working for the
// session when the keychain is missing or refuses. No call ever blocks: results arrive later, through the
// event loop, on the context object's thread, and never if that object is gone by then.
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringView>

#include <functional>

namespace fedsync {

class VolatileSecrets;

// What a store operation came to. "Not found" is an ordinary answer (nothing stored yet), not an
// error of the keychain: callers tell it apart from "no keychain" and "keychain refused".
struct SecretResult
{
    Q_GADGET
public:
    enum class Status {
        Ok,        // done; for read(), `value` holds the secret
        NotFound,  // read(): nothing is stored under this key
        NoBackend, // no keychain service is running (no Secret Service on the session bus)
        Locked,    // the keychain is locked, or did not answer in time (waiting for an unlock prompt)
        Denied,    // the keychain refused access to Fedsync
        Failed,    // anything else; `error.details` says what the backend reported
    };
    Q_ENUM(Status)

    enum class Operation { Read, Write, Remove };
    Q_ENUM(Operation)

    Status status = Status::Failed;
    QByteArray value; // the secret, for a successful read() only; wipe it (wipeSecret) when done
    UserError error;  // empty when status is Ok

    bool ok() const { return status == Status::Ok; }

    static SecretResult success(QByteArray value = {});
    // A failed result with the standard user-facing texts for `status` (see SecretStore::errorFor).
    static SecretResult failure(Status status, Operation operation, const QString &details = {});

    static QString statusName(Status status); // "Ok", "NotFound"... for logs and tests
};

// Overwrites and releases a buffer that held a secret. A buffer still shared with another QByteArray
// is only released (wiping it would detach and wipe a copy, while the other holder keeps the secret).
void wipeSecret(QByteArray &secret);

class SecretStore : public QObject
{
    Q_OBJECT
public:
    using Status = SecretResult::Status;
    using Operation = SecretResult::Operation;
    using Callback = std::function<void(const SecretResult &result)>;

    ~SecretStore() override;

    // Each call answers exactly once through `done`, queued to `context`'s thread, unless `context`
    // (or the store) is destroyed first. remove() of a key that holds nothing answers Ok.
    virtual void read(const QString &key, QObject *context, Callback done) = 0;
    virtual void write(const QString &key, const QByteArray &value, QObject *context, Callback done) = 0;
    virtual void remove(const QString &key, QObject *context, Callback done) = 0;

    // The key for one secret of one user in one profile: "<profile>/<user>/<name>", e.g.
    // "default/auth0|5f1c2a/refresh_token". Stable across versions (stored keys depend on it) and
    // readable in a keychain browser. '%' and '/' inside a part are percent-encoded ("%25", "%2F"), so
    // two different triples never give the same key; everything else is kept as is.
    static QString keyFor(QStringView profileId, QStringView userId, QStringView name);

    // The volatile tier beside this store, for copies with an end (VolatileSecrets); null when the
    // store has none (the keychain is fast enough, or it is a fake).
    virtual VolatileSecrets *volatileTier() const { return nullptr; }

    // The user-facing error for a failed operation: what happened, why, and what to do next.
    static UserError errorFor(Status status, Operation operation, const QString &details = {});

protected:
    explicit SecretStore(QObject *parent = nullptr);

    // Delivers `result` to `done` later through `context`'s event loop (never synchronously), then
    // wipes the store's copy of the value. Does nothing if `context` is gone by then.
    static void deliver(QObject *context, Callback done, SecretResult result);
};

} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::SecretResult)
