#include "secrets/keychainerrors.h"

#include <QStringList>

namespace fedsync {

namespace {

bool mentionsAny(const QString &text, std::initializer_list<QLatin1String> needles)
{
    for (const QLatin1String &needle : needles)
        if (text.contains(needle, Qt::CaseInsensitive))
            return true;
    return false;
}

bool mentionsLock(const QString &text)
{
    // "Cannot create an item in a locked collection", "The keyring is locked"... but not "unlocked".
    return mentionsAny(text,
                       {QLatin1String("locked"), QLatin1String("is_locked"), QLatin1String("IsLocked")}) &&
           !text.contains(QLatin1String("unlocked"), Qt::CaseInsensitive);
}

bool mentionsMissingService(const QString &text)
{
    // "The name org.freedesktop.secrets was not provided by any .service files", "Object does not exist
    // at path /org/freedesktop/secrets/collection/login", "Cannot autolaunch D-Bus without X11 $DISPLAY",
    // "Could not connect: No such file or directory" (no session bus at all).
    return mentionsAny(text, {QLatin1String("org.freedesktop.secrets"), QLatin1String("ServiceUnknown"),
                              QLatin1String("was not provided by any"), QLatin1String("collection"),
                              QLatin1String("D-Bus"), QLatin1String("DBus"),
                              QLatin1String("DBUS_SESSION_BUS_ADDRESS"), QLatin1String("autolaunch"),
                              QLatin1String("Could not connect"), QLatin1String("No such interface"),
                              QLatin1String("No backend")});
}

} // namespace

SecretResult::Status keychainStatusFor(QKeychain::Error error, const QString &errorString)
{
    using Status = SecretResult::Status;
    switch (error) {
    case QKeychain::NoError:
        return Status::Ok;
    case QKeychain::EntryNotFound:
        return Status::NotFound;
    case QKeychain::AccessDeniedByUser:
        return Status::Denied;
    case QKeychain::AccessDenied:
        // libsecret reports a locked collection as AccessDenied.
        return mentionsLock(errorString) ? Status::Locked : Status::Denied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Status::NoBackend;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    if (mentionsLock(errorString))
        return Status::Locked;
    if (mentionsMissingService(errorString))
        return Status::NoBackend;
    if (mentionsAny(errorString,
                    {QLatin1String("denied"), QLatin1String("dismissed"), QLatin1String("not allowed")}))
        return Status::Denied;
    return Status::Failed;
}

SecretResult keychainResultFor(QKeychain::Error error, const QString &errorString,
                               SecretResult::Operation operation)
{
    const SecretResult::Status status = keychainStatusFor(error, errorString);
    if (status == SecretResult::Status::Ok ||
        (status == SecretResult::Status::NotFound && operation == SecretResult::Operation::Remove))
        return SecretResult::success();
    const QString details =
        errorString.isEmpty()
            ? QStringLiteral("QKeychain error %1").arg(static_cast<int>(error))
            : QStringLiteral("QKeychain error %1: %2").arg(static_cast<int>(error)).arg(errorString);
    return SecretResult::failure(status, operation, details);
}

} // namespace fedsync
