#include "common/backgroundwork.h"

namespace fedsync {

BackgroundWork::BackgroundWork(QString name, int threads, QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(std::max(1, threads));
    m_pool.setObjectName(std::move(name));
}

BackgroundWork::~BackgroundWork()
{
    m_pool.waitForDone();
}

} // namespace fedsync
