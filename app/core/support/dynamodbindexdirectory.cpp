#include "support/dynamodbindexdirectory.h"

#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "aws/dynamodbclient.h"
#include "support/supportsession.h"
#include "sync/dynamodbremote.h"
#include "sync/dynamodbschema.h"

#include <QJsonArray>
#include <QPointer>

namespace fedsync::support {
namespace {
constexpr int MaxPages = 20;
} // namespace

struct DynamoDbIndexDirectory::Search
{
    DirectoryQuery query;
    QString lookup;
    FindCallback done;
    QStringList identityIds; // found in the index, in index order, distinct
    int pages = 0;
    int next = 0; // the identity being resolved
    QList<FoundIdentity> found;
    bool describeOnly = false; // describe(): no index query, the card whatever it says
};

DynamoDbIndexDirectory::DynamoDbIndexDirectory(SupportSession &session, QString table, QString region,
                                               const QUrl &endpoint, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_client(std::make_unique<aws::AwsClient>(session.awsClient().networkContext(), std::move(region)))
{
    if (endpoint.isValid())
        m_client->setEndpoint(QStringLiteral("dynamodb"), endpoint);
    m_client->setCredentialsSource(session.awsClient().credentialsSource());
    m_client->setMaxAttempts(session.awsClient().maxAttempts());
    m_dynamo = std::make_unique<aws::DynamoDbClient>(*m_client, std::move(table));
}

DynamoDbIndexDirectory::~DynamoDbIndexDirectory()
{
    cancel();
}

QString DynamoDbIndexDirectory::description() const
{
    return tr("DynamoDB index %1 of the table %2").arg(dynamodb::CardIndex, m_dynamo->table());
}

bool DynamoDbIndexDirectory::current(const std::shared_ptr<Search> &search) const
{
    return search && search == m_search;
}

void DynamoDbIndexDirectory::cancel()
{
    m_search.reset();
    m_remote.reset(); // cancels its call
}

void DynamoDbIndexDirectory::find(const DirectoryQuery &query, FindCallback done)
{
    cancel();
    m_requests = 0;
    auto search = std::make_shared<Search>();
    search->query = query;
    search->done = std::move(done);
    search->lookup = query.kind == DirectoryQuery::Kind::Email
                         ? dynamodb::cardLookupByEmail(query.value)
                         : dynamodb::cardLookupBySub(query.value.trimmed());
    m_search = search;
    if (search->lookup.isEmpty()) { // nothing to look for: nobody
        QMetaObject::invokeMethod(
            this,
            [this, search] {
                if (current(search)) {
                    m_search.reset();
                    search->done({}, {});
                }
            },
            Qt::QueuedConnection);
        return;
    }
    queryPage(search, {});
}

void DynamoDbIndexDirectory::describe(const QString &identityId,
                                      std::function<void(const FoundIdentity &, const UserError &)> done)
{
    cancel();
    m_requests = 0;
    auto search = std::make_shared<Search>();
    search->describeOnly = true;
    search->identityIds << identityId;
    search->done = [done](const QList<FoundIdentity> &found, const UserError &error) {
        done(found.value(0), error);
    };
    m_search = search;
    resolveNext(search);
}

void DynamoDbIndexDirectory::queryPage(const std::shared_ptr<Search> &search, const QJsonObject &startKey)
{
    using aws::DynamoDbClient;
    QJsonObject input{
        {QStringLiteral("IndexName"), dynamodb::CardIndex},
        {QStringLiteral("KeyConditionExpression"), QStringLiteral("#k = :v")},
        {QStringLiteral("ExpressionAttributeNames"),
         QJsonObject{{QStringLiteral("#k"), dynamodb::attr::CardLookup}}},
        {QStringLiteral("ExpressionAttributeValues"),
         QJsonObject{{QStringLiteral(":v"), DynamoDbClient::string(search->lookup)}}},
    };
    if (!startKey.isEmpty())
        input.insert(QStringLiteral("ExclusiveStartKey"), startKey);
    // The value looked for may be an email: the trace shows the index, never the value.
    aws::AwsCall *call = m_dynamo->call(QStringLiteral("Query"), input, dynamodb::CardIndex);
    ++m_requests;
    ++search->pages;
    call->bindLifetimeTo(this);
    connect(call, &aws::AwsCall::finished, this, [this, call, search] {
        if (!current(search))
            return;
        if (!call->isOk()) {
            m_search.reset();
            return search->done({}, SupportSession::describeFailure(
                                        call->failure(), tr("dynamodb:Query on the index %1 of the table %2")
                                                             .arg(dynamodb::CardIndex, m_dynamo->table())));
        }
        const QJsonObject reply = call->json();
        for (const QJsonValue &value : reply.value(QStringLiteral("Items")).toArray()) {
            const QString id =
                DynamoDbClient::stringOf(value.toObject(), dynamodb::PartitionKey).value_or(QString());
            if (!id.isEmpty() && !search->identityIds.contains(id) && search->identityIds.size() < MaxResults)
                search->identityIds << id;
        }
        const QJsonObject last = reply.value(QStringLiteral("LastEvaluatedKey")).toObject();
        if (!last.isEmpty() && search->pages < MaxPages && search->identityIds.size() < MaxResults)
            return queryPage(search, last);
        resolveNext(search);
    });
}

void DynamoDbIndexDirectory::resolveNext(const std::shared_ptr<Search> &search)
{
    if (search->next >= search->identityIds.size()) {
        m_search.reset();
        return search->done(search->found, {});
    }
    const QString identityId = search->identityIds.at(search->next++);
    ++m_requests;
    // The session answers on its own context: this directory may be gone by then.
    QPointer<DynamoDbIndexDirectory> self(this);
    m_session.describeIdentity(
        identityId, [this, self, search, identityId](const IdentityInfo &info, const UserError &error) {
            if (!self || !current(search))
                return;
            if (error.isError()) {
                m_search.reset();
                return search->done({}, error);
            }
            // The card as the store reads a dataset (GetItem of the dataset item, then its records).
            m_remote = std::make_unique<DynamoDbRemote>(*m_dynamo, identityId);
            ListRecordsRequest request;
            request.dataset = IdentityCard::datasetName();
            m_requests += 2;
            m_remote->listRecords(
                request, this, [this, search, info](const RemoteResult<ListRecordsReply> &result) {
                    if (!current(search))
                        return;
                    // Released later: not from inside the remote's own callback.
                    std::shared_ptr<DynamoDbRemote> used(m_remote.release());
                    QMetaObject::invokeMethod(
                        this, [used] {}, Qt::QueuedConnection);
                    if (!result.ok() && search->describeOnly) { // the identity without its card
                        search->found << FoundIdentity{info, {}};
                        return resolveNext(search);
                    }
                    if (!result.ok()) {
                        m_search.reset();
                        return search->done({}, result.error->error);
                    }
                    const IdentityCard card = IdentityCard::fromRecords(result.value.records);
                    const bool matches = search->query.kind == DirectoryQuery::Kind::Email
                                             ? dynamodb::cardLookupByEmail(card.email) == search->lookup
                                             : dynamodb::cardLookupBySub(card.sub) == search->lookup;
                    if (matches || search->describeOnly)
                        search->found << FoundIdentity{info, card};
                    resolveNext(search);
                });
        });
}

} // namespace fedsync::support
