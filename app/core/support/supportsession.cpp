#include "support/supportsession.h"

#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "aws/credentialchain.h"
#include "common/deliverlater.h"
#include "config/profile.h"
#include "log/logcategories.h"
#include "net/networkcontext.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "sync/syncremote.h"

#include <QJsonArray>
#include <QPointer>
#include <QXmlStreamReader>

namespace fedsync::support {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SupportSession", text);
}

QByteArray encode(const QString &segment)
{
    return QUrl::toPercentEncoding(segment);
}

UserError invalidReply(const QString &operation)
{
    return UserError::make(QStringLiteral("support.reply.invalid"),
                           tr("Amazon Cognito sent an unexpected reply to %1").arg(operation), {},
                           tr("Check the profile's Cognito endpoints"));
}

QString arnFromXml(const QByteArray &xml)
{
    QXmlStreamReader reader(xml);
    while (reader.readNextStartElement() || !reader.atEnd()) {
        if (reader.isStartElement() && reader.name() == QLatin1String("Arn"))
            return reader.readElementText().trimmed();
        if (reader.hasError())
            break;
    }
    return {};
}

RemoteDataset datasetFromAws(const QJsonObject &json)
{
    RemoteDataset dataset;
    dataset.name = json.value(QStringLiteral("DatasetName")).toString();
    dataset.created = fromEpochSeconds(json.value(QStringLiteral("CreationDate")));
    dataset.lastModified = fromEpochSeconds(json.value(QStringLiteral("LastModifiedDate")));
    dataset.lastModifiedBy = json.value(QStringLiteral("LastModifiedBy")).toString();
    dataset.storageSizeBytes = qint64(json.value(QStringLiteral("DataStorage")).toDouble());
    dataset.recordCount = qint64(json.value(QStringLiteral("NumRecords")).toDouble());
    return dataset;
}

} // namespace

QStringList SupportSession::requiredIamActions()
{
    return {QStringLiteral("cognito-identity:ListIdentities"),
            QStringLiteral("cognito-identity:DescribeIdentity"),
            QStringLiteral("cognito-sync:ListDatasets"),
            QStringLiteral("cognito-sync:DescribeDataset"),
            QStringLiteral("cognito-sync:DescribeIdentityUsage"),
            QStringLiteral("cognito-sync:ListRecords"),
            QStringLiteral("cognito-sync:UpdateRecords (only for \"Edit as support\" and support put)"),
            QStringLiteral("dynamodb:Query on the table's index card-lookup and GetItem and Query on the "
                           "table (DynamoDB store: find by email or Auth0 user id, datasets, records)"),
            QStringLiteral("dynamodb:PutItem, UpdateItem, DeleteItem and ConditionCheckItem on the table "
                           "(DynamoDB store: only for \"Edit as support\" and support put)"),
            QStringLiteral("sts:GetCallerIdentity (optional: names you in the audit log)")};
}

UserError SupportSession::noStaffCredentials(const QString &searched)
{
    return UserError::make(
        QStringLiteral("support.no_credentials"), tr("Support needs your own AWS credentials"),
        tr("The support console works with a staff member's AWS credentials, never a signed-in user's "
           "session, and none were found: %1")
            .arg(searched),
        tr("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a profile in "
           "~/.aws/credentials or ~/.aws/config (keys or credential_process), for an IAM user or role "
           "allowed: %1")
            .arg(requiredIamActions().join(QStringLiteral(", "))));
}

std::unique_ptr<SupportSession> SupportSession::create(ProfileContext &context,
                                                       const QProcessEnvironment &environment,
                                                       const QString &homeDir, UserError *error,
                                                       QObject *parent)
{
    AwsAccess *cognito = context.cognito();
    if (!cognito) {
        *error = context.cognitoProblem().isError()
                     ? context.cognitoProblem()
                     : UserError::make(QStringLiteral("support.no_cognito"),
                                       tr("This profile has no Amazon Cognito identity pool"), {},
                                       tr("Choose a profile with a Cognito side"));
        return nullptr;
    }
    const aws::CredentialChain chain(environment, homeDir);
    const aws::CredentialChain::Result found = chain.resolve();
    if (found.error.isError()) {
        qCInfo(lcSupport) << "no staff credentials in the AWS credential chain";
        *error = noStaffCredentials(found.searched);
        return nullptr;
    }
    qCInfo(lcSupport) << "staff credentials from" << found.origin;
    QMap<QString, QUrl> endpoints;
    for (AwsService service : {AwsService::CognitoIdentity, AwsService::Sts, AwsService::CognitoSync})
        endpoints.insert(awsServiceName(service), cognito->endpoint(service).url);
    const Profile &profile = context.profile();
    auto session = std::make_unique<SupportSession>(
        context.network(), profile.cognito.region, profile.cognito.identityPoolId, endpoints,
        aws::CredentialChain::sourceFor(found), found.origin, parent);
    if (profile.cognito.store == CognitoSettings::Store::DynamoDb) {
        session->setDynamoDbStore({profile.cognito.dynamoDbTable, profile.cognito.effectiveDynamoDbRegion(),
                                   cognito->endpoint(AwsService::DynamoDb).url});
    }
    return session;
}

SupportSession::SupportSession(const NetworkContext &network, QString region, QString identityPoolId,
                               const QMap<QString, QUrl> &endpoints,
                               std::unique_ptr<aws::AwsCredentialsSource> credentials,
                               QString credentialsOrigin, QObject *parent)
    : QObject(parent)
    , m_region(std::move(region))
    , m_poolId(std::move(identityPoolId))
    , m_origin(std::move(credentialsOrigin))
    , m_credentials(std::move(credentials))
    , m_client(std::make_unique<aws::AwsClient>(network, m_region))
{
    for (auto it = endpoints.cbegin(); it != endpoints.cend(); ++it) {
        if (it.value().isValid())
            m_client->setEndpoint(it.key(), it.value());
    }
    m_client->setCredentialsSource(m_credentials.get());
    m_remotes = std::make_unique<SupportRemoteFactory>(*m_client, m_poolId);
}

SupportSession::~SupportSession() = default;

UserError SupportSession::describeFailure(const aws::AwsFailure &failure, const QString &action)
{
    const QString type = failure.aws.type;
    if (type == QLatin1String("AccessDeniedException") || type == QLatin1String("AccessDenied") ||
        (type == QLatin1String("NotAuthorizedException") &&
         failure.aws.message.contains(QLatin1String("not authorized to perform")))) {
        return UserError::make(
            QStringLiteral("support.access_denied"),
            tr("Your AWS credentials may not do this (%1)").arg(action), failure.aws.message,
            tr("Ask your AWS administrator to allow %1 for your IAM user or role").arg(action));
    }
    return failure.error;
}

UserError SupportSession::staffError(const UserError &error)
{
    if (!error.why.contains(QLatin1String("not authorized to perform")))
        return error;
    const qsizetype at = error.why.indexOf(QLatin1String("perform: "));
    const QString action = at < 0 ? QStringLiteral("cognito-sync:UpdateRecords")
                                  : error.why.mid(at + 9).section(QLatin1Char(' '), 0, 0);
    return UserError::make(QStringLiteral("support.access_denied"),
                           tr("Your AWS credentials may not do this (%1)").arg(action), error.why,
                           tr("Ask your AWS administrator to allow %1 for your IAM user or role").arg(action),
                           error.details);
}

aws::AwsCall *SupportSession::identityCall(const QString &operation, const QJsonObject &input,
                                           const QString &summary)
{
    return m_client->callJson11(QStringLiteral("AWSCognitoIdentityService"),
                                QStringLiteral("cognito-identity"), operation, input, {true, summary, 0});
}

aws::AwsCall *SupportSession::syncGet(const QString &operation, const QByteArray &path,
                                      const QString &summary)
{
    return m_client->callRestJson(QStringLiteral("cognito-sync"), operation, QByteArrayLiteral("GET"), path,
                                  {}, {}, {true, summary, 0});
}

void SupportSession::whoAmI(Callback<QString> done)
{
    if (!m_who.isEmpty()) {
        done(m_who, {});
        return;
    }
    aws::AwsCall *call =
        m_client->callQuery(QStringLiteral("sts"), QStringLiteral("GetCallerIdentity"),
                            QStringLiteral("2011-06-15"), {}, {true, QStringLiteral("whoami"), 0});
    QPointer<SupportSession> self(this);
    connect(call, &aws::AwsCall::finished, this, [this, call, done] {
        call->deleteLater();
        const QString arn = call->isOk() ? arnFromXml(call->body()) : QString();
        if (!arn.isEmpty()) {
            m_who = arn;
            done(m_who, {});
            return;
        }
        // STS refused or is not reachable: the access key id's last 4 characters still say whose keys.
        m_credentials->requestCredentials(
            [this, done](const aws::AwsCredentials &credentials, const UserError &error) {
                if (error.isError()) {
                    done({}, error);
                    return;
                }
                m_who = tr("access key …%1").arg(credentials.accessKeyId.right(4));
                done(m_who, {});
            });
    });
}

void SupportSession::listIdentities(int maxResults, const QString &nextToken, Callback<IdentityPage> done)
{
    QJsonObject input{{QStringLiteral("IdentityPoolId"), m_poolId},
                      {QStringLiteral("MaxResults"), qBound(1, maxResults, 60)}};
    if (!nextToken.isEmpty())
        input.insert(QStringLiteral("NextToken"), nextToken);
    aws::AwsCall *call = identityCall(QStringLiteral("ListIdentities"), input,
                                      QStringLiteral("pool %1, max %2").arg(m_poolId).arg(maxResults));
    connect(call, &aws::AwsCall::finished, this, [call, done] {
        call->deleteLater();
        if (!call->isOk())
            return done({},
                        describeFailure(call->failure(), QStringLiteral("cognito-identity:ListIdentities")));
        const QJsonObject reply = call->json();
        if (!reply.value(QStringLiteral("Identities")).isArray())
            return done({}, invalidReply(QStringLiteral("ListIdentities")));
        IdentityPage page;
        for (const QJsonValue &item : reply.value(QStringLiteral("Identities")).toArray())
            page.identities << IdentityInfo::fromAws(item.toObject());
        page.nextToken = reply.value(QStringLiteral("NextToken")).toString();
        done(page, {});
    });
}

void SupportSession::describeIdentity(const QString &identityId, Callback<IdentityInfo> done)
{
    aws::AwsCall *call = identityCall(QStringLiteral("DescribeIdentity"),
                                      {{QStringLiteral("IdentityId"), identityId}}, identityId);
    connect(call, &aws::AwsCall::finished, this, [call, done] {
        call->deleteLater();
        if (!call->isOk())
            return done(
                {}, describeFailure(call->failure(), QStringLiteral("cognito-identity:DescribeIdentity")));
        const IdentityInfo info = IdentityInfo::fromAws(call->json());
        if (info.identityId.isEmpty())
            return done({}, invalidReply(QStringLiteral("DescribeIdentity")));
        done(info, {});
    });
}

void SupportSession::describeIdentityUsage(const QString &identityId, Callback<IdentityUsage> done)
{
    if (dynamoDbStore()) {
        listDatasets(identityId,
                     [identityId, done](const QList<RemoteDataset> &sets, const UserError &error) {
                         if (error.isError())
                             return done({}, error);
                         done(IdentityUsage::fromDatasets(identityId, sets), {});
                     });
        return;
    }
    const QByteArray path = "/identitypools/" + encode(m_poolId) + "/identities/" + encode(identityId);
    aws::AwsCall *call = syncGet(QStringLiteral("DescribeIdentityUsage"), path, identityId);
    connect(call, &aws::AwsCall::finished, this, [call, identityId, done] {
        call->deleteLater();
        if (!call->isOk())
            return done(
                {}, describeFailure(call->failure(), QStringLiteral("cognito-sync:DescribeIdentityUsage")));
        const QJsonObject json = call->json().value(QStringLiteral("IdentityUsage")).toObject();
        if (json.isEmpty())
            return done({}, invalidReply(QStringLiteral("DescribeIdentityUsage")));
        IdentityUsage usage;
        usage.identityId = json.value(QStringLiteral("IdentityId")).toString(identityId);
        usage.datasetCount = qint64(json.value(QStringLiteral("DatasetCount")).toDouble());
        usage.dataStorage = qint64(json.value(QStringLiteral("DataStorage")).toDouble());
        usage.lastModified = fromEpochSeconds(json.value(QStringLiteral("LastModifiedDate")));
        usage.source = QStringLiteral("cognito-sync");
        done(usage, {});
    });
}

void SupportSession::describeDataset(const QString &identityId, const QString &dataset,
                                     Callback<RemoteDataset> done)
{
    if (dynamoDbStore()) { // the dataset's item in the table
        listDatasets(identityId, [dataset, done](const QList<RemoteDataset> &sets, const UserError &error) {
            if (error.isError())
                return done({}, error);
            for (const RemoteDataset &set : sets) {
                if (set.name == dataset)
                    return done(set, {});
            }
            done({}, UserError::make(QStringLiteral("support.dataset.not_found"),
                                     tr("The dataset %1 does not exist").arg(dataset), {},
                                     tr("Check the name with support datasets")));
        });
        return;
    }
    const QByteArray path = "/identitypools/" + encode(m_poolId) + "/identities/" + encode(identityId) +
                            "/datasets/" + encode(dataset);
    aws::AwsCall *call =
        syncGet(QStringLiteral("DescribeDataset"), path, identityId + QLatin1Char(' ') + dataset);
    connect(call, &aws::AwsCall::finished, this, [call, done] {
        call->deleteLater();
        if (!call->isOk())
            return done({}, describeFailure(call->failure(), QStringLiteral("cognito-sync:DescribeDataset")));
        const QJsonObject json = call->json().value(QStringLiteral("Dataset")).toObject();
        if (json.isEmpty())
            return done({}, invalidReply(QStringLiteral("DescribeDataset")));
        done(datasetFromAws(json), {});
    });
}

std::unique_ptr<SyncRemote> SupportSession::remoteFor(const QString &identityId) const
{
    return m_remotes->remoteFor(identityId);
}

SyncRemote *SupportSession::temporaryRemote(const QString &identityId)
{
    std::unique_ptr<SyncRemote> remote = remoteFor(identityId);
    SyncRemote *raw = remote.get();
    m_temporaryRemotes.emplace(raw, std::move(remote));
    return raw;
}

void SupportSession::releaseLater(SyncRemote *remote)
{
    // Not from inside the remote's own callback.
    deliverLater(this, [this, remote] { m_temporaryRemotes.erase(remote); });
}

void SupportSession::listDatasets(const QString &identityId, Callback<QList<RemoteDataset>> done)
{
    SyncRemote *remote = temporaryRemote(identityId);
    remote->listDatasets(this, [this, remote, done](const RemoteResult<QList<RemoteDataset>> &result) {
        releaseLater(remote);
        if (!result.ok())
            return done({}, staffError(result.error->error));
        done(result.value, {});
    });
}

void SupportSession::listChangedRecords(const QString &identityId, const QString &dataset,
                                        qint64 lastSyncCount,
                                        std::function<void(const ListRecordsReply &, const UserError &)> done)
{
    SyncRemote *remote = temporaryRemote(identityId);
    ListRecordsRequest request;
    request.dataset = dataset;
    request.lastSyncCount = lastSyncCount;
    remote->listRecords(request, this, [this, remote, done](const RemoteResult<ListRecordsReply> &result) {
        releaseLater(remote);
        if (!result.ok())
            return done({}, staffError(result.error->error));
        done(result.value, {});
    });
}

void SupportSession::listRecords(const QString &identityId, const QString &dataset,
                                 Callback<QList<SyncRecord>> done)
{
    listChangedRecords(identityId, dataset, 0, [done](const ListRecordsReply &reply, const UserError &error) {
        if (error.isError())
            return done({}, error);
        QList<SyncRecord> live;
        for (const SyncRecord &record : reply.records) {
            if (!record.isRemoved())
                live << record;
        }
        done(live, {});
    });
}

} // namespace fedsync::support
