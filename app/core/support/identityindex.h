// The local index support staff search by Auth0 sub or email on Cognito Sync (where no AWS API maps a
// user to an identity): one SQLite file per identity pool (0600, folder 0700) with each identity listed
// by ListIdentities and its identity card, plus where the crawl stands (the NextToken to resume from).
#pragma once

#include "common/sqlite.h"
#include "common/usererror.h"
#include "support/supporttypes.h"

#include <QCoreApplication>
#include <QString>

namespace fedsync::support {

struct CrawlState
{
    QString nextToken;     // where an interrupted pass resumes; empty: at the start
    QString lastPageToken; // the token of the last page of the last complete pass (catch-up starts there)
    bool complete = false; // the last pass reached the end of the listing
    qint64 pass = 0;       // passes started
    qint64 identities = 0; // identities in the index
    qint64 cards = 0;      // of which with an identity card
    QDateTime updated;
};

class IdentityIndex final
{
    Q_DECLARE_TR_FUNCTIONS(IdentityIndex)

public:
    explicit IdentityIndex(QString path);
    ~IdentityIndex();
    IdentityIndex(const IdentityIndex &) = delete;
    IdentityIndex &operator=(const IdentityIndex &) = delete;

    // CacheLocation/support/<pool with unsafe characters as '_'>.sqlite
    static QString defaultPath(const QString &identityPoolId);

    UserError open();
    QString path() const { return m_path; }

    CrawlState state() const;
    UserError saveState(const CrawlState &state);

    // One page of ListIdentities, with the cards read for it (card.isValid() false: none), and the
    // crawl's position after the page, in one transaction: a kill leaves the index at a page boundary.
    struct Entry
    {
        IdentityInfo identity;
        IdentityCard card;
        qint64 cardSyncCount = 0; // the card dataset's sync count when read (0: none)
    };
    UserError savePage(const QList<Entry> &entries, const CrawlState &state);
    // The card dataset's sync count stored for an identity (0 when unknown).
    qint64 cardSyncCount(const QString &identityId) const;

    QList<FoundIdentity> findBySub(const QString &sub) const;
    QList<FoundIdentity> findByEmail(const QString &email) const; // case-insensitive
    std::optional<FoundIdentity> findByIdentityId(const QString &identityId) const;

private:
    QList<FoundIdentity> find(const QString &where, const QString &value) const;
    UserError sqlError(const QString &what, const QString &detail) const;

    QString m_path;
    SqliteDatabase m_db;
    bool m_open = false;
};

} // namespace fedsync::support
