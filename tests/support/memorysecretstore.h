// An in-memory SecretStore for tests of the modules that keep tokens: answers asynchronously like the
// keychain (queued, never from inside the call) and can be told to fail with any status, or to never
// answer, so callers' handling of a missing, locked or refusing keychain can be tested without one.
#pragma once

#include "secrets/secretstore.h"

#include <QHash>
#include <QStringList>

namespace fedsync {

class MemorySecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject *parent = nullptr);
    ~MemorySecretStore() override; // wipes every value

    // The next `times` operations (every one with -1) answer `status` instead of doing their work.
    // A simulated NotFound reads as nothing stored; Ok, or times == 0, switches simulation off.
    void setFailure(Status status, int times = -1);
    void clearFailure() { setFailure(Status::Ok); }
    Status failure() const { return m_failure; }

    // While on, operations never answer (a keyring stuck behind an unlock prompt).
    void setHanging(bool hanging) { m_hanging = hanging; }
    bool isHanging() const { return m_hanging; }

    // Direct access for test set-up and checks (synchronous, no simulation).
    bool contains(const QString &key) const { return m_values.contains(key); }
    QByteArray value(const QString &key) const { return m_values.value(key); }
    void insert(const QString &key, const QByteArray &value);
    QStringList keys() const;
    int operationCount() const { return m_operationCount; } // read/write/remove calls so far

    void read(const QString &key, QObject *context, Callback done) override;
    void write(const QString &key, const QByteArray &value, QObject *context, Callback done) override;
    void remove(const QString &key, QObject *context, Callback done) override;
    // The tier handed out by volatileTier() (none by default); not owned.
    void setVolatileTier(VolatileSecrets *tier) { m_volatileTier = tier; }
    VolatileSecrets *volatileTier() const override { return m_volatileTier; }

private:
    // The simulated failure for this call, or Ok; counts the call.
    Status nextFailure();
    void erase(const QString &key);

    QHash<QString, QByteArray> m_values;
    Status m_failure = Status::Ok;
    int m_failuresLeft = 0;
    bool m_hanging = false;
    int m_operationCount = 0;
    VolatileSecrets *m_volatileTier = nullptr;
};

} // namespace fedsync
