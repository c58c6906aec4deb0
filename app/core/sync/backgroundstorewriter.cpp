#include "sync/backgroundstorewriter.h"

namespace fedsync {

BackgroundStoreWriter::BackgroundStoreWriter(const LocalStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_connection(std::make_unique<Connection>(store.path()))
    , m_worker(QStringLiteral("fedsync.storewriter"))
{
    // One thread for the writer's life: the connection belongs to the thread that opened it.
    m_worker.keepThread();
}

BackgroundStoreWriter::~BackgroundStoreWriter()
{
    if (!m_used)
        return; // no thread, no connection
    // Queued after the work asked; m_worker's destructor (it goes before m_connection) waits for it.
    m_worker.run(
        nullptr,
        [connection = m_connection.get()] {
            connection->close();
            return true;
        },
        [](bool) {});
}

BackgroundStoreWriter::Connection::Connection(QString path)
    : m_path(std::move(path))
{}

BackgroundStoreWriter::Connection::~Connection()
{
    // Closed on the worker thread by the writer's last work; nothing is left to close here.
    Q_ASSERT(!m_store);
}

StoreResult<LocalStore *> BackgroundStoreWriter::Connection::store(const Clock &clock)
{
    if (!m_store) {
        auto store = std::make_unique<LocalStore>(m_path);
        if (const UserError error = store->open(); error.isError())
            return {nullptr, error};
        m_store = std::move(store);
    }
    m_store->setClock(clock);
    return {m_store.get(), {}};
}

void BackgroundStoreWriter::Connection::close()
{
    m_store.reset();
}

} // namespace fedsync
