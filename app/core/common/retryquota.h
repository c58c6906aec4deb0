// A retry budget shared by every call of one client (and so of one sync), as the AWS SDKs' "standard"
// retry mode keeps it: a token bucket that each retry draws from (more for a timeout, which costs the
// service more) and each success refills. While the service answers, retries are free in effect; when
// it keeps refusing (throttling, outage), the bucket runs dry and calls stop retrying, so a sync of many
// datasets cannot multiply its requests against a service that is already overloaded.
#pragma once

namespace fedsync {

class RetryQuota final
{
public:
    // The AWS SDKs' standard-mode values.
    static constexpr int DefaultCapacity = 500;
    static constexpr int RetryCost = 5;
    static constexpr int TimeoutRetryCost = 10;
    static constexpr int NoRetryIncrement = 1;

    explicit RetryQuota(int capacity = DefaultCapacity);

    // Takes the cost of one retry and returns it; 0 (nothing taken) when the bucket cannot pay: do not
    // retry then.
    int acquire(bool timeout = false);
    // After a call succeeded: gives back `taken` (what its retries drew), or NoRetryIncrement when it
    // needed no retry. Never above the capacity.
    void release(int taken);

    int capacity() const { return m_capacity; }
    int available() const { return m_available; }
    // Retries refused since the start: the service is overloaded as far as this client can tell.
    int refusals() const { return m_refusals; }
    bool isExhausted() const { return m_available < RetryCost; }

private:
    int m_capacity;
    int m_available;
    int m_refusals = 0;
};

} // namespace fedsync
