// A client of the freedesktop.org Secret Service (gnome-keyring, KeePassXC, KWallet 5.97+) over Qt D-Bus,
// for KeychainSecretStore on Linux. It stores entries exactly as QtKeychain's libsecret backend does
// (schema "org.qt.keychain", attributes user = key, server = service, type = "base64", the value in
// base64), so entries written by earlier Fedsync versions are found and `secret-tool lookup server
// Fedsync user <key>` still prints them. Speaking the protocol directly keeps libsecret, GIO and their
// two threads out of the process (3.7 MiB of a signed-in window's memory; docs/PERFORMANCE.md).
//
// Secrets cross the bus encrypted (SecretServiceCipher). A locked item or collection is unlocked
// through the service's prompt; a prompt the user dismisses, or that cannot be shown, answers Locked.
// Every call is asynchronous; the answer comes through `done` on this object's thread. The caller
// bounds the wait (KeychainSecretStore's timeout): this class never waits for a prompt on its own.
#pragma once

#include "secrets/secretstore.h"

#include <QDBusConnection>
#include <QDBusObjectPath>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace fedsync {

class SecretServiceCipher;

class SecretServiceClient final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(SecretResult)>;

    // Whether KeychainSecretStore should use this client rather than QtKeychain on this desktop: on
    // Linux, except where QtKeychain would have chosen KWallet (a KDE session, or QTKEYCHAIN_BACKEND
    // naming kwallet or gnome), so existing entries stay where they are.
    static bool preferredHere();

    explicit SecretServiceClient(QObject *parent = nullptr);
    ~SecretServiceClient() override;

    void read(const QString &service, const QString &key, Done done);
    void write(const QString &service, const QString &key, const QByteArray &value, Done done);
    void remove(const QString &service, const QString &key, Done done);

private:
    struct Operation;
    using Step = std::function<void()>;

    void begin(std::shared_ptr<Operation> op);
    void withSession(const std::shared_ptr<Operation> &op, Step then);
    void onSessionOpened(const QDBusMessage &reply);
    void search(const std::shared_ptr<Operation> &op);
    void unlockThen(const std::shared_ptr<Operation> &op, const QList<QDBusObjectPath> &objects,
                    std::function<void(QList<QDBusObjectPath>)> then);
    void prompt(const std::shared_ptr<Operation> &op, const QDBusObjectPath &prompt,
                std::function<void(QDBusVariant)> then);
    void getSecret(const std::shared_ptr<Operation> &op, const QDBusObjectPath &item);
    void createItem(const std::shared_ptr<Operation> &op, const QDBusObjectPath &collection);
    void deleteItems(const std::shared_ptr<Operation> &op, QList<QDBusObjectPath> items);
    void withDefaultCollection(const std::shared_ptr<Operation> &op,
                               std::function<void(QDBusObjectPath)> then);

    // Sends a call to the service and continues with its reply; a D-Bus error ends `op` with the status
    // it means. An unknown session (the service restarted) is opened again and `op` retried once.
    void call(const std::shared_ptr<Operation> &op, const QString &path, const QString &interface,
              const QString &method, const QVariantList &arguments, std::function<void(QDBusMessage)> then);
    void fail(const std::shared_ptr<Operation> &op, const QDBusError &error);
    void finish(const std::shared_ptr<Operation> &op, SecretResult result);

    QDBusConnection m_bus;
    std::unique_ptr<SecretServiceCipher> m_cipher;
    QDBusObjectPath m_session; // empty until OpenSession answered
    bool m_opening = false;
    std::vector<std::pair<std::shared_ptr<Operation>, Step>> m_waitingForSession;
};

} // namespace fedsync
