#include "session/sessionlock.h"

#include "log/logcategories.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <utility>

namespace fedsync {
namespace {
constexpr int pollIntervalMs = 25;
// A holder alive for this long is stuck: a refresh (with its retries) and a keychain write take seconds.
constexpr int staleAfterMs = 5 * 60 * 1000;
} // namespace

SessionLock::SessionLock(const QString &sessionKey, QObject *parent)
    : QObject(parent)
    , m_path(pathFor(sessionKey))
{
    m_poll.setInterval(pollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, &SessionLock::poll);
}

SessionLock::~SessionLock()
{
    release();
}

QString SessionLock::pathFor(const QString &sessionKey)
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (base.isEmpty())
        base = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    const QString dir = base + QStringLiteral("/Fedsync/locks");
    if (QDir().mkpath(dir)) {
        QFile::setPermissions(base + QStringLiteral("/Fedsync"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    const QByteArray hash = QCryptographicHash::hash(sessionKey.toUtf8(), QCryptographicHash::Sha256).toHex();
    return dir + QLatin1Char('/') + QString::fromLatin1(hash.left(32)) + QStringLiteral(".lock");
}

void SessionLock::acquire(Done done, int timeoutMs)
{
    Q_ASSERT(!m_done);
    m_done = std::move(done);
    m_deadline = QDateTime::currentMSecsSinceEpoch() + timeoutMs;
    if (!m_file) {
        m_file = std::make_unique<QLockFile>(m_path);
        m_file->setStaleLockTime(staleAfterMs);
    }
    // First try on the next turn of the event loop, then every few milliseconds.
    QTimer::singleShot(0, this, &SessionLock::poll);
}

void SessionLock::poll()
{
    if (!m_done)
        return;
    if (m_held || m_file->tryLock(0)) {
        m_held = true;
        m_poll.stop();
        std::exchange(m_done, {})({});
        return;
    }
    if (m_file->error() == QLockFile::PermissionError || m_file->error() == QLockFile::UnknownError) {
        m_poll.stop();
        qCWarning(lcSession) << "Session lock unusable:" << m_path;
        std::exchange(m_done, {})(UserError::make(
            QStringLiteral("session.lock"),
            tr("Fedsync could not coordinate with its other windows and commands"),
            tr("The lock file %1 cannot be created").arg(m_path),
            tr("Check that the runtime directory (XDG_RUNTIME_DIR) is writable, then try again")));
        return;
    }
    if (QDateTime::currentMSecsSinceEpoch() >= m_deadline) {
        m_poll.stop();
        std::exchange(m_done, {})(UserError::make(
            QStringLiteral("session.lock.busy"),
            tr("Another Fedsync window or command is renewing your sign-in"),
            tr("It has been holding the session for a long time"), tr("Try again in a moment")));
        return;
    }
    if (!m_poll.isActive())
        m_poll.start();
}

void SessionLock::release()
{
    m_poll.stop();
    m_done = {};
    if (m_held) {
        m_file->unlock();
        m_held = false;
    }
}

} // namespace fedsync
