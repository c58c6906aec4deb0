#include "sync/storeerrors.h"

#include "log/logcategories.h"

#include <QCoreApplication>
#include <QDir>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LocalStore", text);
}

} // namespace

UserError storeNotOpen(const QString &path)
{
    return UserError::make(QStringLiteral("sync.store.closed"), tr("The local data is not open"), {},
                           tr("Sign in again to reopen your data"), path);
}

UserError storeSqlError(const QString &path, const QString &what, const SqliteError &error)
{
    const int code = error.code;
    const QString details =
        QStringLiteral("%1: %2 (SQLite code %3) [%4]").arg(what, error.message, QString::number(code), path);
    qCWarning(lcSync) << "local store error:" << details;
    const QString unsaved = tr("Nothing was changed; what you were saving is still where you left it");
    switch (code) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return UserError::make(QStringLiteral("sync.store.busy"),
                               tr("The local data is in use by another program"), unsaved,
                               tr("Close other Fedsync windows using this profile and try again"), details);
    case 13: // SQLITE_FULL
        return UserError::make(QStringLiteral("sync.store.full"),
                               tr("The disk holding your local data is full"), unsaved,
                               tr("Free some disk space and try again"), details);
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return UserError::make(
            QStringLiteral("sync.store.corrupt"), tr("The local data file is damaged"), unsaved,
            tr("Keep a copy of %1, then move it away and sync again: what was synced comes "
               "back from the server")
                .arg(QDir::toNativeSeparators(path)),
            details);
    case 8:  // SQLITE_READONLY
    case 10: // SQLITE_IOERR
    case 14: // SQLITE_CANTOPEN
        return UserError::make(
            QStringLiteral("sync.store.io"), tr("The local data file could not be written"), unsaved,
            tr("Check that %1 is on a writable disk and try again").arg(QDir::toNativeSeparators(path)),
            details);
    default:
        return UserError::make(QStringLiteral("sync.store.error"), tr("The local data could not be saved"),
                               unsaved, tr("Try again; if it keeps failing, report the details"), details);
    }
}

} // namespace fedsync
