#include "support/identitycrawler.h"

#include "support/supportsession.h"

namespace fedsync::support {

IdentityCrawler::IdentityCrawler(SupportSession &session, IdentityIndex &index, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_index(index)
{}

void IdentityCrawler::start(Mode mode)
{
    if (m_running)
        return;
    m_running = true;
    ++m_generation;
    m_stats = {};
    m_clock.start();
    m_state = m_index.state();
    if (mode == Mode::Full) {
        m_state.nextToken.clear();
        m_state.complete = false;
        ++m_state.pass;
    } else if (m_state.complete) {
        // Catch up: identities created since the last pass are on the last page and after it.
        m_state.nextToken = m_state.lastPageToken;
        m_state.complete = false;
    } else if (m_state.pass == 0) {
        m_state.pass = 1;
    }
    nextPage();
}

void IdentityCrawler::cancel()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation; // replies still on their way are ignored
    Q_EMIT cancelled();
}

void IdentityCrawler::fail(const UserError &error)
{
    m_running = false;
    ++m_generation;
    Q_EMIT failed(error);
}

void IdentityCrawler::nextPage()
{
    const qint64 generation = m_generation;
    m_pageToken = m_state.nextToken;
    ++m_stats.requests;
    m_session.listIdentities(60, m_pageToken,
                             [this, generation](const IdentityPage &page, const UserError &error) {
                                 if (generation != m_generation)
                                     return;
                                 if (error.isError())
                                     return fail(error);
                                 m_page.clear();
                                 for (const IdentityInfo &identity : page.identities)
                                     m_page.append({identity, {}, 0});
                                 m_pageNextToken = page.nextToken;
                                 m_nextCard = 0;
                                 m_inFlight = 0;
                                 readCards();
                             });
}

void IdentityCrawler::readCards()
{
    if (m_nextCard >= m_page.size() && m_inFlight == 0) {
        pageDone();
        return;
    }
    const qint64 generation = m_generation;
    while (m_inFlight < m_parallel && m_nextCard < m_page.size()) {
        const int row = m_nextCard++;
        ++m_inFlight;
        ++m_stats.requests;
        const QString identityId = m_page.at(row).identity.identityId;
        const qint64 known = m_index.cardSyncCount(identityId);
        m_session.listChangedRecords(
            identityId, IdentityCard::datasetName(), known,
            [this, generation, row](const ListRecordsReply &reply, const UserError &error) {
                if (generation != m_generation)
                    return;
                --m_inFlight;
                // A card that cannot be read leaves the identity without one; the listing goes on.
                if (!error.isError() && !reply.records.isEmpty()) {
                    ++m_stats.cardsRead;
                    m_page[row].card = IdentityCard::fromRecords(reply.records);
                    m_page[row].cardSyncCount = reply.datasetSyncCount;
                }
                readCards();
            });
    }
}

void IdentityCrawler::pageDone()
{
    ++m_stats.pages;
    m_stats.identities += m_page.size();
    if (m_pageNextToken.isEmpty()) {
        m_state.complete = true;
        m_state.lastPageToken = m_pageToken;
        m_state.nextToken.clear();
    } else {
        m_state.nextToken = m_pageNextToken;
    }
    // Cards only partly changed since the last read come back as only the changed records: keep the
    // stored fields for the others by merging with what the index has.
    for (IdentityIndex::Entry &entry : m_page) {
        if (!entry.card.isValid() && entry.cardSyncCount > 0) {
            if (const auto known = m_index.findByIdentityId(entry.identity.identityId);
                known && known->card.isValid()) {
                IdentityCard merged = known->card;
                if (!entry.card.email.isEmpty())
                    merged.email = entry.card.email;
                if (!entry.card.name.isEmpty())
                    merged.name = entry.card.name;
                if (entry.card.lastSignIn.isValid())
                    merged.lastSignIn = entry.card.lastSignIn;
                if (!entry.card.appVersion.isEmpty())
                    merged.appVersion = entry.card.appVersion;
                entry.card = merged;
            }
        }
    }
    if (const UserError error = m_index.savePage(m_page, m_state); error.isError())
        return fail(error);
    m_page.clear();
    m_stats.elapsedMs = m_clock.elapsed();
    const CrawlState saved = m_index.state();
    Q_EMIT progress(saved.identities, saved.cards, m_stats);
    const bool stop = (m_stopWhen && m_stopWhen()) || (m_pageLimit > 0 && m_stats.pages >= m_pageLimit);
    if (m_state.complete || stop) {
        m_running = false;
        Q_EMIT finished(m_state.complete);
        return;
    }
    nextPage();
}

} // namespace fedsync::support
