// One line per measured figure, next to its anchor, in a form scripts/bench collects into one table:
//   BENCH|<benchmark>|<figure>|<value>|<unit>|<anchor value>|<anchor>|<goal>
// Benchmarks print figures; they never fail on speed (only when the measured thing did not work).
#pragma once

#include <QList>
#include <QString>

#include <algorithm>
#include <cstdio>

namespace fedsync::bench {

inline void report(const QString &benchmark, const QString &figure, double value, const QString &unit,
                   double anchorValue, const QString &anchor, const QString &goal)
{
    std::printf("BENCH|%s|%s|%.3f|%s|%.3f|%s|%s\n", qPrintable(benchmark), qPrintable(figure), value,
                qPrintable(unit), anchorValue, qPrintable(anchor), qPrintable(goal));
    std::fflush(stdout);
}

// The middle value (the upper one of an even count); -1 for none.
inline double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? -1 : values.at(values.size() / 2);
}

} // namespace fedsync::bench
