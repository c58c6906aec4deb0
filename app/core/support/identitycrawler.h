// Builds the local identity index on Cognito Sync: pages through ListIdentities (60 at a time) and reads
// each identity's card (ListRecords on "fedsync.identity" from the sync count seen last time, so an
// unchanged card costs a tiny reply), a few identities at a time. Resumable: the position is saved with
// each page, and a new crawl continues an interrupted pass. After a complete pass, a crawl catches up
// from the last page (identities created since); Mode::Full reads every card again. Cancellable; reports
// progress; an optional `stopWhen` ends it early once what was looked for is in the index.
#pragma once

#include "common/usererror.h"
#include "support/identityindex.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>

namespace fedsync::support {

class SupportSession;

class IdentityCrawler final : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Resume, Full };
    struct Stats
    {
        qint64 pages = 0;
        qint64 identities = 0; // identities listed in this run
        qint64 cardsRead = 0;  // card replies with records
        qint64 requests = 0;   // ListIdentities + ListRecords calls made
        qint64 elapsedMs = 0;
    };

    IdentityCrawler(SupportSession &session, IdentityIndex &index, QObject *parent = nullptr);

    void setParallelism(int calls) { m_parallel = qMax(1, calls); }
    // Checked after each page; true stops the crawl (finished(), with the index saved).
    void setStopWhen(std::function<bool()> stopWhen) { m_stopWhen = std::move(stopWhen); }
    // At most this many pages in this run (0: no limit).
    void setPageLimit(int pages) { m_pageLimit = pages; }

    void start(Mode mode = Mode::Resume);
    void cancel();
    bool isRunning() const { return m_running; }
    const Stats &stats() const { return m_stats; }

Q_SIGNALS:
    // After each saved page: identities in the index, of which with cards, and this run's figures.
    void progress(qint64 indexed, qint64 withCards, const fedsync::support::IdentityCrawler::Stats &stats);
    void finished(bool complete);
    void failed(const fedsync::UserError &error);
    void cancelled();

private:
    void nextPage();
    void readCards();
    void pageDone();
    void fail(const UserError &error);

    SupportSession &m_session;
    IdentityIndex &m_index;
    CrawlState m_state;
    QString m_pageToken; // the token the current page was asked with
    QList<IdentityIndex::Entry> m_page;
    QString m_pageNextToken;
    int m_nextCard = 0;
    int m_inFlight = 0;
    int m_parallel = 8;
    int m_pageLimit = 0;
    qint64 m_generation = 0;
    bool m_running = false;
    std::function<bool()> m_stopWhen;
    Stats m_stats;
    QElapsedTimer m_clock;
};

} // namespace fedsync::support

Q_DECLARE_METATYPE(fedsync::support::IdentityCrawler::Stats)
