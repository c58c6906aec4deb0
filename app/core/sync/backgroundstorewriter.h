// Runs work on a local store's file on a worker thread, through a SQLite connection of its own, and
// hands each outcome back on the thread that asked (queued), so that a long transaction - an import of
// 1,024 records, a sync saving what it pulled or marking what it pushed - never stalls the window. SQLite
// serializes the worker's transaction with the UI thread's connection (BEGIN IMMEDIATE and the store's
// busy timeout) and WAL lets the UI keep reading meanwhile; the work itself is LocalStore's, so it stays
// all-or-nothing and durable. One piece of work at a time, in the order asked, with the store's clock.
// The connection is opened by the first piece of work, on the writer's one worker thread, and kept there
// for the next ones (opening costs the WAL and schema checks each time); it is closed on that thread
// when the writer goes. So the writer must go before the store's file is deleted (a sign-out that
// forgets the data closes the datasets first). The destructor waits for the work asked, and its outcome
// is then not delivered.
#pragma once

#include "common/backgroundwork.h"
#include "common/usererror.h"
#include "sync/localstore.h"

#include <functional>
#include <memory>
#include <type_traits>

namespace fedsync {

class BackgroundStoreWriter final : public QObject
{
    Q_OBJECT
public:
    using Work = std::function<UserError(LocalStore &)>;
    using Done = std::function<void(const UserError &)>;

    // Works on `store`'s file with its clock; `store` must outlive the writer.
    explicit BackgroundStoreWriter(const LocalStore &store, QObject *parent = nullptr);
    // Closes the worker's connection on its thread, after the work asked.
    ~BackgroundStoreWriter() override;

    // Runs `work` on the worker thread's connection to the store's file (opened first if needed), then
    // calls `done` on this object's thread with the store's error (opening included), or none.
    void run(Work work, Done done) { run(this, std::move(work), std::move(done)); }
    // The same for work returning a UserError or a StoreResult<T>; `done` gets it unless `context` was
    // destroyed first. A failure to open the file is returned as the work's error (the next work tries
    // to open it again).
    template<typename StoreWork, typename StoreDone>
    void run(QObject *context, StoreWork work, StoreDone done)
    {
        using Result = std::decay_t<std::invoke_result_t<StoreWork &, LocalStore &>>;
        m_used = true;
        m_worker.run(
            context,
            [connection = m_connection.get(), clock = m_store.clock(),
             work = std::move(work)]() mutable -> Result {
                const StoreResult<LocalStore *> store = connection->store(clock);
                if (!store.ok()) {
                    if constexpr (std::is_same_v<Result, UserError>) {
                        return store.error;
                    } else {
                        Result failed;
                        failed.error = store.error;
                        return failed;
                    }
                }
                return work(*store.value);
            },
            std::move(done));
    }
    // Work asked and not yet delivered.
    int pending() const { return m_worker.pending(); }

private:
    // The worker thread's connection: made, used and closed on that thread only.
    class Connection
    {
    public:
        explicit Connection(QString path);
        ~Connection();
        // The store on the file, opened now if it is not open yet, with `clock` for this work.
        StoreResult<LocalStore *> store(const Clock &clock);
        void close();

    private:
        const QString m_path;
        std::unique_ptr<LocalStore> m_store;
    };

    const LocalStore &m_store;
    // Declared before the worker: it outlives the work the worker's destructor waits for.
    std::unique_ptr<Connection> m_connection;
    bool m_used = false; // work was asked: the worker thread may hold a connection
    BackgroundWork m_worker;
};

} // namespace fedsync
