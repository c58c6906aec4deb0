#include "sync/backgroundstorewriter.h"

namespace fedsync {

BackgroundStoreWriter::BackgroundStoreWriter(const LocalStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_worker(QStringLiteral("fedsync.storewriter"))
{}

BackgroundStoreWriter::~BackgroundStoreWriter() = default;

} // namespace fedsync
