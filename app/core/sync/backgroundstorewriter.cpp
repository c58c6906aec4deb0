#include "sync/backgroundstorewriter.h"

#include "sync/localstore.h"

namespace fedsync {

BackgroundStoreWriter::BackgroundStoreWriter(QString storePath, QObject *parent)
    : QObject(parent)
    , m_path(std::move(storePath))
{
    m_pool.setMaxThreadCount(1); // one write at a time, in order
    m_pool.setObjectName(QStringLiteral("fedsync.storewriter"));
}

BackgroundStoreWriter::~BackgroundStoreWriter()
{
    m_pool.waitForDone();
}

void BackgroundStoreWriter::run(Work work, Done done)
{
    ++m_pending;
    m_pool.start([this, path = m_path, work = std::move(work), done = std::move(done)]() mutable {
        UserError error;
        {
            // A connection of this thread's own; it is closed before the outcome is delivered.
            LocalStore store(path);
            error = store.open();
            if (!error.isError())
                error = work(store);
        }
        // Posted to this object, whose destructor waits for this task first: delivered unless destroyed.
        QMetaObject::invokeMethod(
            this,
            [this, error, done = std::move(done)] {
                --m_pending;
                done(error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace fedsync
