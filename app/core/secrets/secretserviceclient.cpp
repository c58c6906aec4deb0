#include "secrets/secretserviceclient.h"

#include "log/logcategories.h"
#include "secrets/secretservicecipher.h"

#include <QDBusArgument>
#include <QDBusMetaType>
#include <QDBusPendingCallWatcher>
#include <QDBusVariant>
#include <QMap>

namespace fedsync {

namespace {

const QString serviceName = QStringLiteral("org.freedesktop.secrets");
const QString servicePath = QStringLiteral("/org/freedesktop/secrets");
const QString serviceInterface = QStringLiteral("org.freedesktop.Secret.Service");
const QString itemInterface = QStringLiteral("org.freedesktop.Secret.Item");
const QString collectionInterface = QStringLiteral("org.freedesktop.Secret.Collection");
const QString promptInterface = QStringLiteral("org.freedesktop.Secret.Prompt");
const QString sessionInterface = QStringLiteral("org.freedesktop.Secret.Session");
const QString noPrompt = QStringLiteral("/");

using Attributes = QMap<QString, QString>;

// The Secret Service's Secret structure, (oayays).
struct WireSecret
{
    QDBusObjectPath session;
    QByteArray parameters;
    QByteArray value;
    QString contentType;
};

QDBusArgument &operator<<(QDBusArgument &argument, const WireSecret &secret)
{
    argument.beginStructure();
    argument << secret.session << secret.parameters << secret.value << secret.contentType;
    argument.endStructure();
    return argument;
}

const QDBusArgument &operator>>(const QDBusArgument &argument, WireSecret &secret)
{
    argument.beginStructure();
    argument >> secret.session >> secret.parameters >> secret.value >> secret.contentType;
    argument.endStructure();
    return argument;
}

} // namespace
} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::WireSecret)

namespace fedsync {

namespace {

void registerTypes()
{
    static const bool registered = [] {
        qDBusRegisterMetaType<Attributes>();
        qDBusRegisterMetaType<WireSecret>();
        return true;
    }();
    Q_UNUSED(registered);
}

// QtKeychain's libsecret schema: Fedsync's entries have always been stored this way.
Attributes attributesFor(const QString &service, const QString &key, bool withType)
{
    Attributes attributes{{QStringLiteral("user"), key}, {QStringLiteral("server"), service}};
    if (withType)
        attributes.insert(QStringLiteral("type"), QStringLiteral("base64"));
    return attributes;
}

QString describe(const QDBusError &error)
{
    return QStringLiteral("%1 answered %2: %3").arg(serviceName, error.name(), error.message());
}

// Completed(b dismissed, v result) of one prompt, once.
class PromptWatcher final : public QObject
{
    Q_OBJECT
public:
    using Then = std::function<void(bool dismissed, const QDBusVariant &result)>;
    PromptWatcher(QObject *parent, Then then)
        : QObject(parent)
        , m_then(std::move(then))
    {}

public Q_SLOTS:
    void completed(bool dismissed, const QDBusVariant &result)
    {
        if (m_done)
            return;
        m_done = true;
        deleteLater();
        m_then(dismissed, result);
    }

private:
    Then m_then;
    bool m_done = false;
};

} // namespace

struct SecretServiceClient::Operation
{
    enum class Kind { Read, Write, Remove } kind;
    QString service;
    QString key;
    QByteArray value; // the secret to write; wiped when the operation ends
    Done done;
    bool finished = false;
    bool retried = false;

    SecretResult::Operation resultOperation() const
    {
        switch (kind) {
        case Kind::Read:
            return SecretResult::Operation::Read;
        case Kind::Write:
            return SecretResult::Operation::Write;
        case Kind::Remove:
            break;
        }
        return SecretResult::Operation::Remove;
    }
};

bool SecretServiceClient::preferredHere()
{
#ifdef Q_OS_LINUX
    const QByteArray backend = qgetenv("QTKEYCHAIN_BACKEND");
    if (backend == "libsecret")
        return true;
    if (backend.startsWith("kwallet") || backend == "gnome")
        return false;
    const QList<QByteArray> desktops = qgetenv("XDG_CURRENT_DESKTOP").toLower().split(':');
    if (desktops.contains("kde") || qgetenv("DESKTOP_SESSION").toLower().contains("kde"))
        return false; // QtKeychain keeps using KWallet there
    return true;
#else
    return false;
#endif
}

SecretServiceClient::SecretServiceClient(QObject *parent)
    : QObject(parent)
    , m_bus(QString()) // not connected: the session bus is taken at the first operation, not at start-up
{
    registerTypes();
}

SecretServiceClient::~SecretServiceClient()
{
    if (!m_session.path().isEmpty() && m_bus.isConnected())
        m_bus.send(QDBusMessage::createMethodCall(serviceName, m_session.path(), sessionInterface,
                                                  QStringLiteral("Close")));
}

void SecretServiceClient::read(const QString &service, const QString &key, Done done)
{
    begin(std::make_shared<Operation>(Operation{Operation::Kind::Read, service, key, {}, std::move(done)}));
}

void SecretServiceClient::write(const QString &service, const QString &key, const QByteArray &value,
                                Done done)
{
    begin(std::make_shared<Operation>(
        Operation{Operation::Kind::Write, service, key, value.toBase64(), std::move(done)}));
}

void SecretServiceClient::remove(const QString &service, const QString &key, Done done)
{
    begin(std::make_shared<Operation>(Operation{Operation::Kind::Remove, service, key, {}, std::move(done)}));
}

void SecretServiceClient::begin(std::shared_ptr<Operation> op)
{
    if (!m_bus.isConnected())
        m_bus = QDBusConnection::sessionBus();
    if (!m_bus.isConnected()) {
        const QString reason = m_bus.lastError().message();
        finish(op,
               SecretResult::failure(
                   SecretResult::Status::NoBackend, op->resultOperation(),
                   QStringLiteral("No D-Bus session bus (%1), so %2 cannot be reached")
                       .arg(reason.isEmpty() ? QStringLiteral("DBUS_SESSION_BUS_ADDRESS is not set") : reason,
                            serviceName)));
        return;
    }
    switch (op->kind) {
    case Operation::Kind::Read:
        withSession(op, [this, op] { search(op); });
        break;
    case Operation::Kind::Write:
        withSession(op, [this, op] {
            withDefaultCollection(op, [this, op](const QDBusObjectPath &collection) {
                unlockThen(op, {collection}, [this, op, collection](const QList<QDBusObjectPath> &) {
                    createItem(op, collection);
                });
            });
        });
        break;
    case Operation::Kind::Remove:
        search(op); // no secret crosses the bus: no session needed
        break;
    }
}

void SecretServiceClient::withSession(const std::shared_ptr<Operation> &op, Step then)
{
    if (!m_session.path().isEmpty()) {
        then();
        return;
    }
    m_waitingForSession.emplace_back(op, std::move(then));
    if (m_opening)
        return;
    m_opening = true;
    m_cipher = std::make_unique<SecretServiceCipher>();
    if (m_cipher->publicKey().isEmpty()) {
        m_opening = false;
        auto waiting = std::exchange(m_waitingForSession, {});
        for (auto &[waiter, step] : waiting)
            finish(waiter, SecretResult::failure(SecretResult::Status::Failed, waiter->resultOperation(),
                                                 QStringLiteral("OpenSSL could not make a key pair")));
        return;
    }
    QDBusMessage open = QDBusMessage::createMethodCall(serviceName, servicePath, serviceInterface,
                                                       QStringLiteral("OpenSession"));
    open.setArguments({QString::fromLatin1(SecretServiceCipher::algorithm),
                       QVariant::fromValue(QDBusVariant(m_cipher->publicKey()))});
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(open), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        onSessionOpened(watcher->reply());
    });
}

void SecretServiceClient::onSessionOpened(const QDBusMessage &reply)
{
    m_opening = false;
    auto waiting = std::exchange(m_waitingForSession, {});
    if (reply.type() == QDBusMessage::ReplyMessage && reply.arguments().size() == 2) {
        const QByteArray peer = qvariant_cast<QDBusVariant>(reply.arguments().at(0)).variant().toByteArray();
        const auto session = qvariant_cast<QDBusObjectPath>(reply.arguments().at(1));
        if (m_cipher->agree(peer) && !session.path().isEmpty() && session.path() != noPrompt) {
            m_session = session;
            qCDebug(lcSecrets) << "Secret Service session opened (" << SecretServiceCipher::algorithm << ")";
            for (auto &[op, step] : waiting)
                if (!op->finished)
                    step();
            return;
        }
        for (auto &[op, step] : waiting)
            finish(op, SecretResult::failure(
                           SecretResult::Status::Failed, op->resultOperation(),
                           QStringLiteral("%1 answered OpenSession with a key that is not "
                                          "valid for %2")
                               .arg(serviceName, QLatin1String(SecretServiceCipher::algorithm))));
        return;
    }
    for (auto &[op, step] : waiting)
        fail(op, QDBusError(reply));
}

void SecretServiceClient::search(const std::shared_ptr<Operation> &op)
{
    const bool reading = op->kind == Operation::Kind::Read;
    // A removal takes every entry of the key, whatever its type; a read only QtKeychain's binary ones.
    call(op, servicePath, serviceInterface, QStringLiteral("SearchItems"),
         {QVariant::fromValue(attributesFor(op->service, op->key, reading))},
         [this, op, reading](const QDBusMessage &reply) {
             const auto unlocked = qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().value(0));
             const auto locked = qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().value(1));
             if (reading) {
                 if (!unlocked.isEmpty())
                     getSecret(op, unlocked.first());
                 else if (!locked.isEmpty())
                     unlockThen(op, {locked.first()},
                                [this, op, item = locked.first()](const auto &) { getSecret(op, item); });
                 else
                     finish(op, SecretResult::failure(SecretResult::Status::NotFound, op->resultOperation()));
                 return;
             }
             if (locked.isEmpty()) {
                 deleteItems(op, unlocked);
                 return;
             }
             unlockThen(op, locked,
                        [this, op, all = unlocked + locked](const auto &) { deleteItems(op, all); });
         });
}

void SecretServiceClient::unlockThen(const std::shared_ptr<Operation> &op,
                                     const QList<QDBusObjectPath> &objects,
                                     std::function<void(QList<QDBusObjectPath>)> then)
{
    call(op, servicePath, serviceInterface, QStringLiteral("Unlock"), {QVariant::fromValue(objects)},
         [this, op, objects, then = std::move(then)](const QDBusMessage &reply) {
             const auto unlocked = qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().value(0));
             const auto promptPath = qvariant_cast<QDBusObjectPath>(reply.arguments().value(1));
             if (promptPath.path().isEmpty() || promptPath.path() == noPrompt) {
                 then(unlocked);
                 return;
             }
             qCDebug(lcSecrets) << "the keyring is locked: asking the user to unlock it";
             prompt(op, promptPath, [then, objects](const QDBusVariant &) { then(objects); });
         });
}

void SecretServiceClient::prompt(const std::shared_ptr<Operation> &op, const QDBusObjectPath &promptPath,
                                 std::function<void(QDBusVariant)> then)
{
    auto *watcher = new PromptWatcher(
        this, [this, op, then = std::move(then)](bool dismissed, const QDBusVariant &result) {
            if (op->finished)
                return;
            if (!dismissed) {
                then(result);
                return;
            }
            SecretResult locked =
                SecretResult::failure(SecretResult::Status::Locked, op->resultOperation(),
                                      QStringLiteral("%1: its prompt (to unlock the keyring, or to "
                                                     "make one) was dismissed or could not be shown")
                                          .arg(serviceName));
            finish(op, std::move(locked));
        });
    if (!m_bus.connect(serviceName, promptPath.path(), promptInterface, QStringLiteral("Completed"), watcher,
                       SLOT(completed(bool, QDBusVariant)))) {
        delete watcher;
        fail(op, m_bus.lastError());
        return;
    }
    call(op, promptPath.path(), promptInterface, QStringLiteral("Prompt"), {QString()},
         [](const QDBusMessage &) {}); // the answer is the Completed signal
}

void SecretServiceClient::getSecret(const std::shared_ptr<Operation> &op, const QDBusObjectPath &item)
{
    call(op, item.path(), itemInterface, QStringLiteral("GetSecret"), {QVariant::fromValue(m_session)},
         [this, op](const QDBusMessage &reply) {
             WireSecret secret = qdbus_cast<WireSecret>(reply.arguments().value(0));
             std::optional<QByteArray> plain = m_cipher->open(secret.parameters, secret.value);
             wipeSecret(secret.value);
             if (!plain) {
                 finish(op,
                        SecretResult::failure(SecretResult::Status::Failed, op->resultOperation(),
                                              QStringLiteral("The secret from %1 did not decrypt with the "
                                                             "session's key")
                                                  .arg(serviceName)));
                 return;
             }
             QByteArray value = QByteArray::fromBase64(*plain);
             wipeSecret(*plain);
             finish(op, SecretResult::success(std::move(value)));
         });
}

void SecretServiceClient::withDefaultCollection(const std::shared_ptr<Operation> &op,
                                                std::function<void(QDBusObjectPath)> then)
{
    call(op, servicePath, serviceInterface, QStringLiteral("ReadAlias"), {QStringLiteral("default")},
         [this, op, then = std::move(then)](const QDBusMessage &reply) {
             const auto collection = qvariant_cast<QDBusObjectPath>(reply.arguments().value(0));
             if (!collection.path().isEmpty() && collection.path() != noPrompt) {
                 then(collection);
                 return;
             }
             // No default keyring yet (a fresh account): make one, as libsecret does; the service asks
             // the user for its password.
             const QVariantMap properties{
                 {QStringLiteral("org.freedesktop.Secret.Collection.Label"), QStringLiteral("Login")}};
             call(op, servicePath, serviceInterface, QStringLiteral("CreateCollection"),
                  {properties, QStringLiteral("default")}, [this, op, then](const QDBusMessage &created) {
                      const auto made = qvariant_cast<QDBusObjectPath>(created.arguments().value(0));
                      const auto promptPath = qvariant_cast<QDBusObjectPath>(created.arguments().value(1));
                      if (promptPath.path().isEmpty() || promptPath.path() == noPrompt) {
                          then(made);
                          return;
                      }
                      prompt(op, promptPath, [then](const QDBusVariant &result) {
                          then(qvariant_cast<QDBusObjectPath>(result.variant()));
                      });
                  });
         });
}

void SecretServiceClient::createItem(const std::shared_ptr<Operation> &op, const QDBusObjectPath &collection)
{
    std::optional<SecretServiceCipher::Sealed> sealed = m_cipher->seal(op->value);
    if (!sealed) {
        finish(op, SecretResult::failure(SecretResult::Status::Failed, op->resultOperation(),
                                         QStringLiteral("OpenSSL could not encrypt the secret")));
        return;
    }
    Attributes attributes = attributesFor(op->service, op->key, true);
    attributes.insert(QStringLiteral("xdg:schema"), QStringLiteral("org.qt.keychain"));
    const QVariantMap properties{
        {QStringLiteral("org.freedesktop.Secret.Item.Label"),
         QString(op->key + QLatin1Char('@') + op->service)},
        {QStringLiteral("org.freedesktop.Secret.Item.Attributes"), QVariant::fromValue(attributes)}};
    const WireSecret secret{m_session, sealed->iv, sealed->ciphertext, QStringLiteral("text/plain")};
    call(op, collection.path(), collectionInterface, QStringLiteral("CreateItem"),
         {properties, QVariant::fromValue(secret), true}, [this, op](const QDBusMessage &reply) {
             const auto promptPath = qvariant_cast<QDBusObjectPath>(reply.arguments().value(1));
             if (promptPath.path().isEmpty() || promptPath.path() == noPrompt) {
                 finish(op, SecretResult::success());
                 return;
             }
             prompt(op, promptPath,
                    [this, op](const QDBusVariant &) { finish(op, SecretResult::success()); });
         });
}

void SecretServiceClient::deleteItems(const std::shared_ptr<Operation> &op, QList<QDBusObjectPath> items)
{
    if (items.isEmpty()) {
        finish(op, SecretResult::success());
        return;
    }
    const QDBusObjectPath item = items.takeFirst();
    call(op, item.path(), itemInterface, QStringLiteral("Delete"), {},
         [this, op, items](const QDBusMessage &reply) {
             const auto promptPath = qvariant_cast<QDBusObjectPath>(reply.arguments().value(0));
             if (promptPath.path().isEmpty() || promptPath.path() == noPrompt) {
                 deleteItems(op, items);
                 return;
             }
             prompt(op, promptPath, [this, op, items](const QDBusVariant &) { deleteItems(op, items); });
         });
}

void SecretServiceClient::call(const std::shared_ptr<Operation> &op, const QString &path,
                               const QString &interface, const QString &method, const QVariantList &arguments,
                               std::function<void(QDBusMessage)> then)
{
    QDBusMessage message = QDBusMessage::createMethodCall(serviceName, path, interface, method);
    message.setArguments(arguments);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(message), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, op, then = std::move(then)] {
        watcher->deleteLater();
        if (op->finished)
            return;
        const QDBusMessage reply = watcher->reply();
        if (reply.type() != QDBusMessage::ReplyMessage) {
            const QDBusError error(reply);
            if (error.name() == QLatin1String("org.freedesktop.Secret.Error.NoSession") && !op->retried) {
                // The service restarted and forgot our session: open a new one and start over.
                qCDebug(lcSecrets) << "the Secret Service forgot our session: opening a new one";
                op->retried = true;
                m_session = QDBusObjectPath();
                begin(op);
                return;
            }
            fail(op, error);
            return;
        }
        then(reply);
    });
}

void SecretServiceClient::fail(const std::shared_ptr<Operation> &op, const QDBusError &error)
{
    using Status = SecretResult::Status;
    const QString name = error.name();
    Status status = Status::Failed;
    if (name == QLatin1String("org.freedesktop.Secret.Error.NoSuchObject") ||
        name == QLatin1String("org.freedesktop.DBus.Error.UnknownObject"))
        status = op->kind == Operation::Kind::Remove ? Status::Ok : Status::NotFound;
    else if (name == QLatin1String("org.freedesktop.Secret.Error.IsLocked") ||
             error.type() == QDBusError::NoReply || error.type() == QDBusError::Timeout)
        status = Status::Locked;
    else if (error.type() == QDBusError::AccessDenied)
        status = Status::Denied;
    else if (error.type() == QDBusError::ServiceUnknown || error.type() == QDBusError::NoServer ||
             error.type() == QDBusError::Disconnected ||
             name == QLatin1String("org.freedesktop.DBus.Error.NameHasNoOwner"))
        status = Status::NoBackend;
    if (status == Status::Ok) {
        finish(op, SecretResult::success());
        return;
    }
    finish(op, SecretResult::failure(status, op->resultOperation(), describe(error)));
}

void SecretServiceClient::finish(const std::shared_ptr<Operation> &op, SecretResult result)
{
    if (op->finished)
        return;
    op->finished = true;
    wipeSecret(op->value);
    if (op->done)
        op->done(std::move(result));
}

} // namespace fedsync

#include "secretserviceclient.moc"
