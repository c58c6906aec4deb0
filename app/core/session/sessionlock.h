// The cross-process lock of one keychain session entry: a lock file per session key under the runtime
// directory (XDG_RUNTIME_DIR, else the cache directory). Every refresh and every read-modify-write of
// the entry happens under it, so processes that share a session (the GUI, CLI commands run by the AWS
// CLI's credential_process) rotate its refresh token one at a time. Taking it never blocks the thread:
// tryLock() is polled on a timer. A lock left by a process that died is taken over at once (QLockFile
// checks the holder's pid).
#pragma once

#include "common/usererror.h"

#include <QLockFile>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace fedsync {

class SessionLock final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const UserError &error)>;

    explicit SessionLock(const QString &sessionKey, QObject *parent = nullptr);
    ~SessionLock() override;

    // Calls `done` once the lock is held (error empty) or after `timeoutMs` (error set); later, through
    // the event loop, never from inside this call. One acquire at a time.
    void acquire(Done done, int timeoutMs = 120000);
    void release();
    bool isHeld() const { return m_held; }
    const QString &path() const { return m_path; }

    // <runtime dir>/Fedsync/locks/<32 hex of sha256(key)>.lock
    static QString pathFor(const QString &sessionKey);

private:
    void poll();

    QString m_path;
    std::unique_ptr<QLockFile> m_file;
    QTimer m_poll;
    Done m_done;
    qint64 m_deadline = 0;
    bool m_held = false;
};

} // namespace fedsync
