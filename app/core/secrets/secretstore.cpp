#include "secrets/secretstore.h"

#include "common/deliverlater.h"

#include <QMetaEnum>

#include <openssl/crypto.h>

#include <memory>

namespace fedsync {

namespace {

QString encodeKeyPart(QStringView part)
{
    QString encoded;
    encoded.reserve(part.size());
    for (const QChar c : part) {
        if (c == QLatin1Char('%'))
            encoded += QLatin1String("%25");
        else if (c == QLatin1Char('/'))
            encoded += QLatin1String("%2F");
        else
            encoded += c;
    }
    return encoded;
}

} // namespace

SecretResult SecretResult::success(QByteArray value)
{
    SecretResult result;
    result.status = Status::Ok;
    result.value = std::move(value);
    return result;
}

SecretResult SecretResult::failure(Status status, Operation operation, const QString &details)
{
    SecretResult result;
    result.status = status;
    result.error = SecretStore::errorFor(status, operation, details);
    return result;
}

QString SecretResult::statusName(Status status)
{
    return QString::fromLatin1(QMetaEnum::fromType<Status>().valueToKey(static_cast<int>(status)));
}

void wipeSecret(QByteArray &secret)
{
    if (!secret.isEmpty() && secret.isDetached())
        OPENSSL_cleanse(secret.data(), static_cast<size_t>(secret.size()));
    secret.clear();
}

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{}

SecretStore::~SecretStore() = default;

QString SecretStore::keyFor(QStringView profileId, QStringView userId, QStringView name)
{
    return encodeKeyPart(profileId) + QLatin1Char('/') + encodeKeyPart(userId) + QLatin1Char('/') +
           encodeKeyPart(name);
}

UserError SecretStore::errorFor(Status status, Operation operation, const QString &details)
{
    QString what;
    switch (operation) {
    case Operation::Read:
        what = tr("Fedsync could not read your saved sign-in from the keychain");
        break;
    case Operation::Write:
        what = tr("Fedsync could not save your sign-in in the keychain");
        break;
    case Operation::Remove:
        what = tr("Fedsync could not remove your saved sign-in from the keychain");
        break;
    }

    switch (status) {
    case Status::Ok:
        return {};
    case Status::NotFound:
        return UserError::make(QStringLiteral("secrets.notFound"), tr("No saved sign-in was found"),
                               tr("Nothing is stored in the keychain for this account yet"),
                               tr("Sign in again"), details);
    case Status::NoBackend:
        return UserError::make(
            QStringLiteral("secrets.noBackend"), what,
            tr("No keychain is running: Fedsync needs a Secret Service such as GNOME Keyring or KWallet. "
               "You can still sign in, but only for this session: you will be asked again next time"),
            tr("Install and start a keychain (for example the gnome-keyring package, started with your "
               "desktop session), then sign in again"),
            details);
    case Status::Locked:
        return UserError::make(QStringLiteral("secrets.locked"), what,
                               tr("The keychain is locked, or is waiting for you to unlock it"),
                               tr("Unlock your keychain (for example \"Login\" in GNOME Keyring or "
                                  "KWallet), then try again"),
                               details);
    case Status::Denied:
        return UserError::make(QStringLiteral("secrets.denied"), what,
                               tr("The keychain refused access to Fedsync"),
                               tr("Unlock the keychain and allow Fedsync to use it when asked, then try "
                                  "again"),
                               details);
    case Status::Failed:
        break;
    }
    return UserError::make(
        QStringLiteral("secrets.failed"), what, tr("The keychain reported an unexpected error"),
        tr("Try again; if it keeps failing, restart your keychain or your session"), details);
}

void SecretStore::deliver(QObject *context, Callback done, SecretResult result)
{
    if (!context || !done)
        return;
    // The value is wiped when the last copy of the pending call goes, delivered or dropped.
    std::shared_ptr<SecretResult> pending(new SecretResult(std::move(result)), [](SecretResult *r) {
        wipeSecret(r->value);
        delete r;
    });
    deliverLater(context, [done = std::move(done), pending = std::move(pending)]() { done(*pending); });
}

} // namespace fedsync
