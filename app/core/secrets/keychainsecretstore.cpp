#include "secrets/keychainsecretstore.h"

#include "log/logcategories.h"
#include "secrets/kernelkeyring.h"
#include "secrets/keychainerrors.h"
#include "secrets/qtkeychainbridge.h"
#include "secrets/secretserviceclient.h"

#include <QPointer>
#include <QTimer>

namespace fedsync {

namespace {

QLatin1String operationName(SecretResult::Operation operation)
{
    switch (operation) {
    case SecretResult::Operation::Read:
        return QLatin1String("read");
    case SecretResult::Operation::Write:
        return QLatin1String("write");
    case SecretResult::Operation::Remove:
        break;
    }
    return QLatin1String("remove");
}

// One keychain operation in flight: answers once, from the backend or from the timeout, whichever
// comes first. Owned by the store, so destroying the store drops every pending answer. A QtKeychain job
// is not owned: it lives in the plugin until it finishes, even if nobody waits for it any more.
class PendingKeychainOperation final : public QObject
{
public:
    PendingKeychainOperation(QObject *owner, SecretResult::Operation operation, QString key,
                             std::chrono::milliseconds timeout, std::function<void(SecretResult)> deliver)
        : QObject(owner)
        , m_operation(operation)
        , m_key(std::move(key))
        , m_timeout(timeout)
        , m_deliver(std::move(deliver))
    {
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &PendingKeychainOperation::onTimeout);
    }

    void startQtKeychain(const QString &service, const QByteArray &value)
    {
        UserError missing;
        QtKeychainBridge *bridge = loadQtKeychainBridge(&missing);
        if (!bridge) {
            SecretResult result =
                SecretResult::failure(SecretResult::Status::NoBackend, m_operation, missing.details);
            result.error = missing;
            QMetaObject::invokeMethod(
                this, [this, result = std::move(result)]() mutable { onAnswer(std::move(result)); },
                Qt::QueuedConnection); // answers after the call returns, as the keychain would
            return;
        }
        m_timer.start(m_timeout);
        bridge->start(m_operation, service, m_key, value,
                      [self = QPointer<PendingKeychainOperation>(this)](QtKeychainBridge::Answer answer) {
                          if (self)
                              self->onQtKeychainAnswer(std::move(answer));
                      });
    }

    // For SecretServiceClient: the answer goes to onAnswer unless this operation ended first.
    SecretServiceClient::Done startWithAnswer()
    {
        m_timer.start(m_timeout);
        return [self = QPointer<PendingKeychainOperation>(this)](SecretResult result) {
            if (self)
                self->onAnswer(std::move(result));
        };
    }

private:
    void onQtKeychainAnswer(QtKeychainBridge::Answer answer)
    {
        SecretResult result =
            keychainResultFor(QKeychain::Error(answer.error), answer.errorString, m_operation);
        if (result.ok() && m_operation == SecretResult::Operation::Read)
            result.value = std::move(answer.data);
        onAnswer(std::move(result));
    }

    void onAnswer(SecretResult result)
    {
        if (m_finished)
            return;
        if (result.ok())
            qCDebug(lcSecrets) << operationName(m_operation) << m_key << "ok";
        else if (result.status == SecretResult::Status::NotFound)
            qCDebug(lcSecrets) << operationName(m_operation) << m_key << "not found";
        else
            qCWarning(lcSecrets).noquote() << operationName(m_operation) << m_key
                                           << SecretResult::statusName(result.status) << result.error.details;
        finish(std::move(result));
    }

    void onTimeout()
    {
        qCWarning(lcSecrets) << operationName(m_operation) << m_key << "timed out after" << m_timeout.count()
                             << "ms";
        SecretResult result = SecretResult::failure(
            SecretResult::Status::Locked, m_operation,
            QStringLiteral("The keychain did not answer within %1 s").arg(m_timeout.count() / 1000.0));
        result.error.code = QStringLiteral("secrets.timeout");
        result.error.why = KeychainSecretStore::tr("The keychain did not answer in time: it is probably "
                                                   "locked and waiting for you to unlock it");
        finish(std::move(result));
    }

    void finish(SecretResult result)
    {
        m_finished = true;
        m_timer.stop();
        m_deliver(std::move(result));
        deleteLater(); // disconnects from the job, so a late answer after a timeout goes nowhere
    }

    SecretResult::Operation m_operation;
    QString m_key;
    std::chrono::milliseconds m_timeout;
    std::function<void(SecretResult)> m_deliver;
    QTimer m_timer;
    bool m_finished = false;
};

} // namespace

QString KeychainSecretStore::defaultServiceName()
{
    return QStringLiteral("Fedsync");
}

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : KeychainSecretStore(defaultServiceName(), parent)
{}

KeychainSecretStore::KeychainSecretStore(const QString &serviceName, QObject *parent)
    : KeychainSecretStore(serviceName, Backend::Automatic, parent)
{}

KeychainSecretStore::KeychainSecretStore(const QString &serviceName, Backend backend, QObject *parent)
    : SecretStore(parent)
    , m_serviceName(serviceName)
{
    if (backend == Backend::Automatic && SecretServiceClient::preferredHere())
        m_secretService = new SecretServiceClient(this);
}

KeychainSecretStore::~KeychainSecretStore() = default;

void KeychainSecretStore::read(const QString &key, QObject *context, Callback done)
{
    qCDebug(lcSecrets) << "read" << key << "from" << m_serviceName;
    if (m_secretService) {
        m_secretService->read(m_serviceName, key, pend(Operation::Read, key, context, std::move(done)));
        return;
    }
    startQtKeychain(Operation::Read, key, {}, context, std::move(done));
}

void KeychainSecretStore::write(const QString &key, const QByteArray &value, QObject *context, Callback done)
{
    qCDebug(lcSecrets) << "write" << key << "to" << m_serviceName << "-" << value.size() << "bytes";
    if (m_secretService) {
        m_secretService->write(m_serviceName, key, value,
                               pend(Operation::Write, key, context, std::move(done)));
        return;
    }
    startQtKeychain(Operation::Write, key, value, context, std::move(done));
}

void KeychainSecretStore::remove(const QString &key, QObject *context, Callback done)
{
    qCDebug(lcSecrets) << "remove" << key << "from" << m_serviceName;
    if (m_secretService) {
        m_secretService->remove(m_serviceName, key, pend(Operation::Remove, key, context, std::move(done)));
        return;
    }
    startQtKeychain(Operation::Remove, key, {}, context, std::move(done));
}

VolatileSecrets *KeychainSecretStore::volatileTier() const
{
#ifdef Q_OS_LINUX
    if (!m_kernelKeyring)
        m_kernelKeyring = std::make_unique<KernelKeyring>(m_serviceName);
    return m_kernelKeyring->isAvailable() ? m_kernelKeyring.get() : nullptr;
#else
    return nullptr;
#endif
}

namespace {
PendingKeychainOperation *pendingOperation(KeychainSecretStore *store, SecretResult::Operation operation,
                                           const QString &key, std::chrono::milliseconds timeout,
                                           QObject *context, SecretStore::Callback done,
                                           void (*deliver)(QObject *, SecretStore::Callback, SecretResult))
{
    return new PendingKeychainOperation(
        store, operation, key, timeout,
        [guard = QPointer<QObject>(context), done = std::move(done), deliver](SecretResult result) {
            deliver(guard.data(), done, std::move(result));
        });
}
} // namespace

void KeychainSecretStore::startQtKeychain(Operation operation, const QString &key, const QByteArray &value,
                                          QObject *context, Callback done)
{
    pendingOperation(this, operation, key, m_timeout, context, std::move(done), &deliver)
        ->startQtKeychain(m_serviceName, value);
}

std::function<void(SecretResult)> KeychainSecretStore::pend(Operation operation, const QString &key,
                                                            QObject *context, Callback done)
{
    return pendingOperation(this, operation, key, m_timeout, context, std::move(done), &deliver)
        ->startWithAnswer();
}

} // namespace fedsync
