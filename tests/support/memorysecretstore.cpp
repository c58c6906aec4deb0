#include "memorysecretstore.h"

#include "log/logcategories.h"

#include <algorithm>

namespace fedsync {

MemorySecretStore::MemorySecretStore(QObject *parent)
    : SecretStore(parent)
{}

MemorySecretStore::~MemorySecretStore()
{
    for (auto it = m_values.begin(); it != m_values.end(); ++it)
        wipeSecret(it.value());
}

void MemorySecretStore::setFailure(Status status, int times)
{
    m_failure = times == 0 ? Status::Ok : status;
    m_failuresLeft = m_failure == Status::Ok ? 0 : times;
}

void MemorySecretStore::insert(const QString &key, const QByteArray &value)
{
    erase(key);
    // A deep copy, so that wiping it later never depends on what the caller does with its buffer.
    m_values.insert(key, QByteArray(value.constData(), value.size()));
}

QStringList MemorySecretStore::keys() const
{
    QStringList keys = m_values.keys();
    std::sort(keys.begin(), keys.end());
    return keys;
}

SecretStore::Status MemorySecretStore::nextFailure()
{
    ++m_operationCount;
    const Status status = m_failure;
    if (m_failuresLeft > 0 && --m_failuresLeft == 0)
        m_failure = Status::Ok;
    return status;
}

void MemorySecretStore::erase(const QString &key)
{
    auto it = m_values.find(key);
    if (it == m_values.end())
        return;
    wipeSecret(it.value());
    m_values.erase(it);
}

void MemorySecretStore::read(const QString &key, QObject *context, Callback done)
{
    const Status failure = nextFailure();
    qCDebug(lcSecrets) << "memory read" << key << SecretResult::statusName(failure);
    if (m_hanging)
        return;
    if (failure != Status::Ok)
        return deliver(context, std::move(done), SecretResult::failure(failure, Operation::Read));
    const auto it = m_values.constFind(key);
    if (it == m_values.cend())
        return deliver(context, std::move(done), SecretResult::failure(Status::NotFound, Operation::Read));
    deliver(context, std::move(done), SecretResult::success(it.value()));
}

void MemorySecretStore::write(const QString &key, const QByteArray &value, QObject *context, Callback done)
{
    const Status failure = nextFailure();
    qCDebug(lcSecrets) << "memory write" << key << SecretResult::statusName(failure);
    if (m_hanging)
        return;
    if (failure != Status::Ok)
        return deliver(context, std::move(done), SecretResult::failure(failure, Operation::Write));
    insert(key, value);
    deliver(context, std::move(done), SecretResult::success());
}

void MemorySecretStore::remove(const QString &key, QObject *context, Callback done)
{
    const Status failure = nextFailure();
    qCDebug(lcSecrets) << "memory remove" << key << SecretResult::statusName(failure);
    if (m_hanging)
        return;
    if (failure != Status::Ok && failure != Status::NotFound)
        return deliver(context, std::move(done), SecretResult::failure(failure, Operation::Remove));
    erase(key);
    deliver(context, std::move(done), SecretResult::success());
}

} // namespace fedsync
