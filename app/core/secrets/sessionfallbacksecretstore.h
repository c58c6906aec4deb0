// A SecretStore that keeps sign-in working when the keychain cannot: it wraps another store (the OS
// keychain) and, when that one reports no backend, locked or denied on a write, keeps the value in this
// process's memory instead (never on disk) and reports the degraded state once, so the UI can say
// "you will have to sign in again next time". Reads prefer that memory copy: it is newer than anything
// the keychain holds.
#pragma once

#include "secrets/secretstore.h"

#include <QHash>
#include <QPointer>

namespace fedsync {

class SessionFallbackSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    // Does not take ownership of `backend`, which must outlive this store or be its child.
    explicit SessionFallbackSecretStore(SecretStore *backend, QObject *parent = nullptr);
    ~SessionFallbackSecretStore() override; // wipes every value kept in memory

    // True while at least one value is kept only in memory; degradedError() says why.
    bool isDegraded() const { return !m_sessionValues.isEmpty(); }
    UserError degradedError() const { return m_degradedError; }
    bool holdsInMemory(const QString &key) const { return m_sessionValues.contains(key); }

    // write() answers Ok when the value is kept in memory instead of the keychain.
    // remove() forgets the memory copy and answers what the keychain answers, except NoBackend
    // (nothing can be stored there then), which is Ok.
    void read(const QString &key, QObject *context, Callback done) override;
    void write(const QString &key, const QByteArray &value, QObject *context, Callback done) override;
    void remove(const QString &key, QObject *context, Callback done) override;
    // The keychain's tier, while nothing is kept in memory only: a sign-in that lasts for this session
    // must not leave copies for other processes.
    VolatileSecrets *volatileTier() const override;

    // Whether the backend's answer means "keep it for the session": NoBackend, Locked, Denied.
    static bool fallsBackOn(Status status);

Q_SIGNALS:
    // The keychain is unusable and values are now kept for this session only. Emitted when this
    // starts, and again only if the reason changes (e.g. locked, then no backend).
    void degraded(const fedsync::UserError &error);

private:
    void keepInMemory(const QString &key, const QByteArray &value, const UserError &reason);
    void forget(const QString &key);

    QPointer<SecretStore> m_backend;
    QHash<QString, QByteArray> m_sessionValues;
    UserError m_degradedError;
};

} // namespace fedsync
