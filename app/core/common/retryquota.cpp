#include "common/retryquota.h"

#include <algorithm>

namespace fedsync {

RetryQuota::RetryQuota(int capacity)
    : m_capacity(std::max(0, capacity))
    , m_available(m_capacity)
{}

int RetryQuota::acquire(bool timeout)
{
    const int cost = timeout ? TimeoutRetryCost : RetryCost;
    if (m_available < cost) {
        ++m_refusals;
        return 0;
    }
    m_available -= cost;
    return cost;
}

void RetryQuota::release(int taken)
{
    m_available = std::min(m_capacity, m_available + (taken > 0 ? taken : NoRetryIncrement));
}

} // namespace fedsync
