// Runs functions on worker threads of its own and hands each result back queued (deliverLater) on the
// thread that asked, to a callback tied to a context object: when the context is destroyed first, the
// result is dropped, never delivered. For work long enough to stall the window (building or parsing a
// request body of 1,024 records, a SQLite transaction); the work must touch nothing but what it was given.
// runIfLarge does small work at once instead, by its size in bytes (the sync remotes' bodies and replies).
// The destructor waits for the work asked (running or queued); results not delivered by then are dropped.
#pragma once

#include "common/deliverlater.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <type_traits>
#include <utility>

namespace fedsync {

class BackgroundWork final : public QObject
{
    Q_OBJECT
public:
    // `threads` 1: one function at a time, in the order asked.
    explicit BackgroundWork(QString name, int threads = 1, QObject *parent = nullptr);
    ~BackgroundWork() override;

    // Runs `work()` on a worker thread, then `done(result)` on this object's thread unless `context` was
    // destroyed meanwhile. `work` and its result are copied to the worker: pass values, not references.
    template<typename Work, typename Done> void run(QObject *context, Work work, Done done)
    {
        using Result = std::decay_t<std::invoke_result_t<Work &>>;
        ++m_pending;
        // The guard is made here and read only on this thread, once delivered.
        m_pool.start([this, guard = QPointer<QObject>(context), work = std::move(work),
                      done = std::move(done)]() mutable {
            Result result = work();
            // Posted to this object, whose destructor waits for this task: it is alive here.
            deliverLater(this, [this, guard, done = std::move(done), result = std::move(result)]() mutable {
                --m_pending;
                if (guard)
                    done(std::as_const(result));
            });
        });
    }

    // Bodies and replies of this many bytes or more are made or read on the worker; smaller ones at once
    // (a hop to the worker and back would cost a small sync more than the work itself).
    static constexpr qsizetype LargeBytes = 32 * 1024;
    // done(work()) at once when `bytes` (about the size of what `work` makes or reads) is below
    // LargeBytes, else run(context, work, done).
    template<typename Work, typename Done>
    void runIfLarge(QObject *context, qsizetype bytes, Work work, Done done)
    {
        if (bytes >= LargeBytes)
            return run(context, std::move(work), std::move(done));
        const auto result = work();
        done(result);
    }

    // Functions asked and not yet delivered.
    int pending() const { return m_pending; }

    // Keeps the worker thread for this object's whole life instead of ending it after 30 s without work
    // (QThreadPool's expiry). With one thread, every function then runs on that same thread, so work may
    // keep what belongs to its thread (a SQLite connection) from one function to the next. Call before
    // the first run().
    void keepThread() { m_pool.setExpiryTimeout(-1); }

private:
    QThreadPool m_pool;
    int m_pending = 0;
};

} // namespace fedsync
