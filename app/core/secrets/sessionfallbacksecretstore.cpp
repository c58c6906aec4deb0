#include "secrets/sessionfallbacksecretstore.h"

#include "log/logcategories.h"

namespace fedsync {

SessionFallbackSecretStore::SessionFallbackSecretStore(SecretStore *backend, QObject *parent)
    : SecretStore(parent)
    , m_backend(backend)
{}

SessionFallbackSecretStore::~SessionFallbackSecretStore()
{
    for (auto it = m_sessionValues.begin(); it != m_sessionValues.end(); ++it)
        wipeSecret(it.value());
}

bool SessionFallbackSecretStore::fallsBackOn(Status status)
{
    return status == Status::NoBackend || status == Status::Locked || status == Status::Denied;
}

void SessionFallbackSecretStore::read(const QString &key, QObject *context, Callback done)
{
    const auto it = m_sessionValues.constFind(key);
    if (it != m_sessionValues.cend()) {
        qCDebug(lcSecrets) << "read" << key << "from session memory";
        return deliver(context, std::move(done), SecretResult::success(it.value()));
    }
    if (!m_backend)
        return deliver(context, std::move(done), SecretResult::failure(Status::NotFound, Operation::Read));
    m_backend->read(key, this,
                    [this, key, guard = QPointer<QObject>(context), done](const SecretResult &result) {
                        // A write may have fallen back while this read was on its way.
                        const auto kept = m_sessionValues.constFind(key);
                        if (kept != m_sessionValues.cend())
                            return deliver(guard.data(), done, SecretResult::success(kept.value()));
                        deliver(guard.data(), done, result);
                    });
}

void SessionFallbackSecretStore::write(const QString &key, const QByteArray &value, QObject *context,
                                       Callback done)
{
    if (!m_backend) {
        keepInMemory(key, value, errorFor(Status::NoBackend, Operation::Write));
        return deliver(context, std::move(done), SecretResult::success());
    }
    // The value is held (shared, not copied) until the keychain answers, in case it must be kept here.
    m_backend->write(key, value, this,
                     [this, key, held = value, guard = QPointer<QObject>(context),
                      done](const SecretResult &result) mutable {
                         if (result.ok()) {
                             forget(key); // the keychain has the newest value now
                             deliver(guard.data(), done, result);
                         } else if (fallsBackOn(result.status)) {
                             keepInMemory(key, held, result.error);
                             deliver(guard.data(), done, SecretResult::success());
                         } else {
                             deliver(guard.data(), done, result);
                         }
                         wipeSecret(held);
                     });
}

void SessionFallbackSecretStore::remove(const QString &key, QObject *context, Callback done)
{
    forget(key);
    if (!m_backend)
        return deliver(context, std::move(done), SecretResult::success());
    m_backend->remove(key, this, [guard = QPointer<QObject>(context), done](const SecretResult &result) {
        deliver(guard.data(), done, result.status == Status::NoBackend ? SecretResult::success() : result);
    });
}

void SessionFallbackSecretStore::keepInMemory(const QString &key, const QByteArray &value,
                                              const UserError &reason)
{
    forget(key);
    m_sessionValues.insert(key, QByteArray(value.constData(), value.size()));
    qCWarning(lcSecrets) << "keeping" << key << "in session memory only:" << reason.code;
    if (reason.code != m_degradedError.code) {
        m_degradedError = reason;
        Q_EMIT degraded(m_degradedError);
    }
}

VolatileSecrets *SessionFallbackSecretStore::volatileTier() const
{
    return m_backend && !isDegraded() ? m_backend->volatileTier() : nullptr;
}

void SessionFallbackSecretStore::forget(const QString &key)
{
    auto it = m_sessionValues.find(key);
    if (it == m_sessionValues.end())
        return;
    wipeSecret(it.value());
    m_sessionValues.erase(it);
    if (m_sessionValues.isEmpty())
        m_degradedError = {};
}

} // namespace fedsync
