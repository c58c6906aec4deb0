#include "secrets/kernelkeyring.h"

#include "log/logcategories.h"

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace fedsync {

#ifdef Q_OS_LINUX
namespace {
// From <linux/keyctl.h>, which glibc does not wrap (libkeyutils would, for five calls).
constexpr long UserKeyring = -4; // KEY_SPEC_USER_KEYRING
constexpr long SearchOp = 10;    // KEYCTL_SEARCH
constexpr long ReadOp = 11;      // KEYCTL_READ
constexpr long SetTimeoutOp = 15;
constexpr long SetPermOp = 5;
constexpr long InvalidateOp = 21;
// Possessor: everything; the user (same uid, any session): view, read, write, search, link, setattr.
// Group and others: nothing.
constexpr unsigned long Permissions = 0x3f3f0000;

long findKey(const QByteArray &description)
{
    return syscall(SYS_keyctl, SearchOp, UserKeyring, "user", description.constData(), 0L);
}
} // namespace
#endif

KernelKeyring::KernelKeyring(QString service)
    : m_service(std::move(service))
{
#ifdef Q_OS_LINUX
    // A search that finds nothing answers ENOKEY; a seccomp policy that forbids the calls answers
    // EPERM or ENOSYS, and the tier is then off.
    m_available = findKey(description(QStringLiteral("probe"))) >= 0 || errno == ENOKEY;
    if (!m_available)
        qCDebug(lcSecrets) << "kernel keyring unavailable:" << qt_error_string(errno)
                           << "- cached AWS credentials are read from the keychain";
#endif
}

QByteArray KernelKeyring::description(const QString &key) const
{
    return (m_service + QLatin1Char('/') + key).toUtf8();
}

bool KernelKeyring::put(const QString &key, const QByteArray &value, const QDateTime &until)
{
#ifdef Q_OS_LINUX
    const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(until);
    if (!m_available || seconds <= 0 || value.isEmpty() || value.size() > MaxValueBytes)
        return false;
    const QByteArray name = description(key);
    const long id =
        syscall(SYS_add_key, "user", name.constData(), value.constData(), size_t(value.size()), UserKeyring);
    if (id < 0) {
        qCDebug(lcSecrets) << "kernel keyring refused" << key << ":" << qt_error_string(errno);
        return false;
    }
    // add_key() replaces the payload of a key of the same name, keeping its id: the permissions and
    // timeout are set again either way.
    if (syscall(SYS_keyctl, SetPermOp, id, Permissions) < 0 ||
        syscall(SYS_keyctl, SetTimeoutOp, id, static_cast<unsigned long>(seconds)) < 0) {
        syscall(SYS_keyctl, InvalidateOp, id);
        return false;
    }
    qCDebug(lcSecrets) << "kernel keyring: kept" << key << "for" << seconds << "s";
    return true;
#else
    Q_UNUSED(key)
    Q_UNUSED(value)
    Q_UNUSED(until)
    return false;
#endif
}

QByteArray KernelKeyring::get(const QString &key) const
{
#ifdef Q_OS_LINUX
    if (!m_available)
        return {};
    const long id = findKey(description(key));
    if (id < 0)
        return {};
    QByteArray value(MaxValueBytes, Qt::Uninitialized);
    const long size = syscall(SYS_keyctl, ReadOp, id, value.data(), size_t(value.size()));
    if (size <= 0 || size > value.size())
        return {};
    value.truncate(size);
    return value;
#else
    Q_UNUSED(key)
    return {};
#endif
}

void KernelKeyring::drop(const QString &key)
{
#ifdef Q_OS_LINUX
    if (!m_available)
        return;
    const long id = findKey(description(key));
    if (id >= 0 && syscall(SYS_keyctl, InvalidateOp, id) == 0)
        qCDebug(lcSecrets) << "kernel keyring: dropped" << key;
#else
    Q_UNUSED(key)
#endif
}

} // namespace fedsync
