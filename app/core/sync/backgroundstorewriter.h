// Runs work on a local store's file on a worker thread, through a SQLite connection of its own, and
// hands each outcome back on the thread that asked (queued), so that a long transaction - an import of
// 1,024 records, a sync saving what it pulled or marking what it pushed - never stalls the window. SQLite
// serializes the worker's transaction with the UI thread's connection (BEGIN IMMEDIATE and the store's
// busy timeout) and WAL lets the UI keep reading meanwhile; the work itself is LocalStore's, so it stays
// all-or-nothing and durable. One piece of work at a time, in the order asked, with the store's clock.
// The destructor waits for the work running, and its outcome is then not delivered.
#pragma once

#include "common/backgroundwork.h"
#include "common/usererror.h"
#include "sync/localstore.h"

#include <functional>
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
    ~BackgroundStoreWriter() override;

    // Opens the store's file on the worker thread, runs `work` on it, then calls `done` on this object's
    // thread with the store's error (opening included), or none.
    void run(Work work, Done done) { run(this, std::move(work), std::move(done)); }
    // The same for work returning a UserError or a StoreResult<T>; `done` gets it unless `context` was
    // destroyed first. A failure to open the file is returned as the work's error.
    template<typename StoreWork, typename StoreDone>
    void run(QObject *context, StoreWork work, StoreDone done)
    {
        using Result = std::decay_t<std::invoke_result_t<StoreWork &, LocalStore &>>;
        m_worker.run(
            context,
            [path = m_store.path(), clock = m_store.clock(), work = std::move(work)]() mutable -> Result {
                // A connection of this task's own, closed before the outcome is delivered.
                LocalStore store(path);
                store.setClock(clock);
                if (const UserError error = store.open(); error.isError()) {
                    if constexpr (std::is_same_v<Result, UserError>) {
                        return error;
                    } else {
                        Result failed;
                        failed.error = error;
                        return failed;
                    }
                }
                return work(store);
            },
            std::move(done));
    }
    // Work asked and not yet delivered.
    int pending() const { return m_worker.pending(); }

private:
    const LocalStore &m_store;
    BackgroundWork m_worker;
};

} // namespace fedsync
