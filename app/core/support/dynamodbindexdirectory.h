// Finding a user on a DynamoDB-store profile: the table's card index (a sparse global secondary index,
// docs/dynamodb-store.md) answers "who has this email / this Auth0 sub" with one Query, whatever the
// size of the pool: no crawl, no local index. Signed with the staff member's own credentials (the
// SupportSession's chain; dynamodb:Query on the index). For each identity found: DescribeIdentity, and
// the card itself read from that identity's partition the way the store reads any dataset
// (DynamoDbRemote: a deleted or stale card is never taken for a live one). An index entry whose card no
// longer says what was asked (the index is eventually consistent) is left out.
#pragma once

#include "support/supportdirectory.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace fedsync {
namespace aws {
class AwsClient;
class DynamoDbClient;
} // namespace aws
class DynamoDbRemote;
} // namespace fedsync

namespace fedsync::support {

class DynamoDbIndexDirectory final : public QObject, public SupportDirectory
{
    Q_OBJECT
public:
    // At most this many identities per answer (an email shared by more is unusual; say so).
    static constexpr int MaxResults = 50;

    // `endpoint` empty: DynamoDB's public endpoint for `region`.
    DynamoDbIndexDirectory(SupportSession &session, QString table, QString region, const QUrl &endpoint,
                           QObject *parent = nullptr);
    ~DynamoDbIndexDirectory() override;

    QString description() const override;
    void find(const DirectoryQuery &query, FindCallback done) override;
    void cancel() override;
    // DescribeIdentity and the identity's card from the table (find by identity id on this store).
    void describe(const QString &identityId,
                  std::function<void(const FoundIdentity &found, const UserError &error)> done);

    // AWS requests the last find made (the index Query pages, DescribeIdentity, the card reads).
    int requests() const { return m_requests; }

private:
    struct Search;
    void queryPage(const std::shared_ptr<Search> &search, const QJsonObject &startKey);
    void resolveNext(const std::shared_ptr<Search> &search);
    bool current(const std::shared_ptr<Search> &search) const;

    SupportSession &m_session;
    std::unique_ptr<aws::AwsClient> m_client;
    std::unique_ptr<aws::DynamoDbClient> m_dynamo;
    std::shared_ptr<Search> m_search;
    std::unique_ptr<DynamoDbRemote> m_remote; // the card read in flight
    int m_requests = 0;
};

} // namespace fedsync::support
