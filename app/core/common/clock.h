// The time "now" as the core reads it: one injectable clock for everything that stamps or compares times
// (the local store's timestamps, the ID-token validator, the credentials provider, the AWS client's
// signing time). A default Clock reads the system clock; a test passes a function instead (a fixed time,
// or one it moves forward) and so controls expiry, renewal and timestamps without waiting.
#pragma once

#include <QDateTime>

#include <concepts>
#include <functional>
#include <utility>

namespace fedsync {

class Clock final
{
public:
    using Source = std::function<QDateTime()>;

    // The system clock.
    Clock() = default;
    // Any function returning the time (in any time zone: now() converts it to UTC). An empty function
    // means the system clock. Implicit, so `setClock([] { return ...; })` reads naturally.
    template<typename F>
        requires std::is_invocable_r_v<QDateTime, F>
    Clock(F source) // NOLINT(google-explicit-constructor)
        : m_source(std::move(source))
    {}

    // The current time in UTC.
    QDateTime now() const { return m_source ? m_source().toUTC() : QDateTime::currentDateTimeUtc(); }
    bool isSystem() const { return !m_source; }

    static Clock system() { return {}; }
    // Always `time`.
    static Clock fixed(const QDateTime &time)
    {
        return Clock([time] { return time; });
    }

private:
    Source m_source;
};

} // namespace fedsync
