// Runs writes to a local store's file on a worker thread, through a SQLite connection of its own, and
// hands each outcome back on the thread that asked (queued), so that a long transaction - an import of
// 1,024 records - never stalls the window. SQLite serializes the worker's transaction with the UI
// thread's connection (BEGIN IMMEDIATE and the store's busy timeout) and WAL lets the UI keep reading
// meanwhile; the work itself is LocalStore's, so it stays all-or-nothing and durable. One write at a
// time, in the order asked. The destructor waits for the write running, and its outcome is then not
// delivered.
#pragma once

#include "common/usererror.h"

#include <QObject>
#include <QThreadPool>

#include <functional>

namespace fedsync {

class LocalStore;

class BackgroundStoreWriter final : public QObject
{
    Q_OBJECT
public:
    using Work = std::function<UserError(LocalStore &)>;
    using Done = std::function<void(const UserError &)>;

    explicit BackgroundStoreWriter(QString storePath, QObject *parent = nullptr);
    ~BackgroundStoreWriter() override;

    // Opens the store's file on the worker thread, runs `work` on it, then calls `done` on this object's
    // thread with the store's error (opening included), or none.
    void run(Work work, Done done);
    // Writes asked and not yet delivered.
    int pending() const { return m_pending; }

private:
    QString m_path;
    QThreadPool m_pool;
    int m_pending = 0;
};

} // namespace fedsync
