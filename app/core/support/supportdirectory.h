// Finding a user's Cognito identity by Auth0 sub or email: a directory interface, so that each store
// answers its own way. On Cognito Sync, CrawlIndexDirectory looks in the local index and crawls (resuming,
// stopping as soon as the user is found) when the index does not know the user yet; a DynamoDB store
// answers with an index query (DynamoDbIndexDirectory); createDirectory() picks by the profile's store.
// Finding by identity id needs no directory: describeWithCard() asks DescribeIdentity and reads the card.
#pragma once

#include "common/usererror.h"
#include "support/identitycrawler.h"
#include "support/supporttypes.h"

#include <QObject>

#include <functional>

namespace fedsync::support {

class IdentityIndex;
class SupportSession;

struct DirectoryQuery
{
    enum class Kind { Sub, Email };
    Kind kind = Kind::Sub;
    QString value;
};

class SupportDirectory
{
public:
    using FindCallback = std::function<void(const QList<FoundIdentity> &found, const UserError &error)>;
    virtual ~SupportDirectory() = default;
    // "local index of 1,234 identities (crawled 2026-11-30 04:00)", for people.
    virtual QString description() const = 0;
    // Calls back once (later). An empty list with no error: nobody matches.
    virtual void find(const DirectoryQuery &query, FindCallback done) = 0;
    virtual void cancel() = 0;
};

class CrawlIndexDirectory final : public QObject, public SupportDirectory
{
    Q_OBJECT
public:
    CrawlIndexDirectory(SupportSession &session, IdentityIndex &index, QObject *parent = nullptr);

    QString description() const override;
    void find(const DirectoryQuery &query, FindCallback done) override;
    void cancel() override;
    IdentityCrawler &crawler() { return m_crawler; }

Q_SIGNALS:
    // A crawl runs to answer the query.
    void crawlProgress(qint64 indexed, qint64 withCards,
                       const fedsync::support::IdentityCrawler::Stats &stats);

private:
    QList<FoundIdentity> lookup(const DirectoryQuery &query) const;

    SupportSession &m_session;
    IdentityIndex &m_index;
    IdentityCrawler m_crawler;
    QList<QMetaObject::Connection> m_connections;
};

// The directory of the session's store: the card index on a DynamoDB profile (DynamoDbIndexDirectory),
// the local index and its crawl on Cognito Sync (CrawlIndexDirectory: `index` must be open then; a DynamoDB
// profile needs none). Owned by `parent`.
SupportDirectory *createDirectory(SupportSession &session, IdentityIndex *index, QObject *parent);

// DescribeIdentity plus the identity's card (if any), read directly from the profile's store.
void describeWithCard(SupportSession &session, const QString &identityId,
                      std::function<void(const FoundIdentity &found, const UserError &error)> done);

} // namespace fedsync::support
