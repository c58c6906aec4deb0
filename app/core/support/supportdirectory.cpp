#include "support/supportdirectory.h"

#include "common/deliverlater.h"
#include "support/dynamodbindexdirectory.h"
#include "support/identityindex.h"
#include "support/supportsession.h"

#include <QCoreApplication>
#include <QLocale>

namespace fedsync::support {

CrawlIndexDirectory::CrawlIndexDirectory(SupportSession &session, IdentityIndex &index, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_index(index)
    , m_crawler(session, index)
{
    connect(&m_crawler, &IdentityCrawler::progress, this, &CrawlIndexDirectory::crawlProgress);
}

QString CrawlIndexDirectory::description() const
{
    const CrawlState state = m_index.state();
    return QCoreApplication::translate("CrawlIndexDirectory",
                                       "local index of %1 identities, %2 with an identity card%3")
        .arg(QLocale().toString(state.identities), QLocale().toString(state.cards),
             state.complete ? QString()
                            : QCoreApplication::translate("CrawlIndexDirectory", " (crawl not finished)"));
}

QList<FoundIdentity> CrawlIndexDirectory::lookup(const DirectoryQuery &query) const
{
    return query.kind == DirectoryQuery::Kind::Sub ? m_index.findBySub(query.value)
                                                   : m_index.findByEmail(query.value);
}

void CrawlIndexDirectory::find(const DirectoryQuery &query, FindCallback done)
{
    cancel();
    const QList<FoundIdentity> known = lookup(query);
    if (!known.isEmpty()) {
        deliverLater(this, [done, known] { done(known, {}); });
        return;
    }
    // Not in the index yet: crawl on (resume, or catch up after a complete pass) until found.
    m_crawler.setStopWhen([this, query] { return !lookup(query).isEmpty(); });
    m_connections << connect(&m_crawler, &IdentityCrawler::finished, this, [this, query, done](bool) {
        cancel();
        done(lookup(query), {});
    });
    m_connections << connect(&m_crawler, &IdentityCrawler::failed, this,
                             [this, done](const UserError &error) {
                                 cancel();
                                 done({}, error);
                             });
    m_crawler.start(IdentityCrawler::Mode::Resume);
}

void CrawlIndexDirectory::cancel()
{
    for (const QMetaObject::Connection &connection : std::exchange(m_connections, {}))
        disconnect(connection);
    m_crawler.setStopWhen({});
    if (m_crawler.isRunning())
        m_crawler.cancel();
}

SupportDirectory *createDirectory(SupportSession &session, IdentityIndex *index, QObject *parent)
{
    if (const auto &store = session.dynamoDbStore())
        return new DynamoDbIndexDirectory(session, store->table, store->region, store->endpoint, parent);
    Q_ASSERT(index);
    return new CrawlIndexDirectory(session, *index, parent);
}

void describeWithCard(SupportSession &session, const QString &identityId,
                      std::function<void(const FoundIdentity &, const UserError &)> done)
{
    if (const auto &store = session.dynamoDbStore()) { // the card is in the DynamoDB table
        auto *directory =
            new DynamoDbIndexDirectory(session, store->table, store->region, store->endpoint, &session);
        directory->describe(identityId,
                            [directory, done](const FoundIdentity &found, const UserError &error) {
                                directory->deleteLater();
                                done(found, error);
                            });
        return;
    }
    session.describeIdentity(identityId, [&session, done](const IdentityInfo &info, const UserError &error) {
        if (error.isError())
            return done({}, error);
        session.listRecords(info.identityId, IdentityCard::datasetName(),
                            [info, done](const QList<SyncRecord> &records, const UserError &cardError) {
                                FoundIdentity found{info, {}};
                                if (!cardError.isError())
                                    found.card = IdentityCard::fromRecords(records);
                                done(found, {});
                            });
    });
}

} // namespace fedsync::support
