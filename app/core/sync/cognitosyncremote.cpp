#include "sync/cognitosyncremote.h"

#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "log/logcategories.h"
#include "log/redact.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QUrl>

#include <cmath>

namespace fedsync {

namespace {

const QString service = QStringLiteral("cognito-sync");

QString tr(const char *text)
{
    return QCoreApplication::translate("CognitoSyncRemote", text);
}

QByteArray segment(const QString &text)
{
    return QUrl::toPercentEncoding(text);
}

// A query value as the service reads it: '+', '/' and '=' of an opaque token must not be taken for
// a space or a delimiter, so the value goes in already percent-encoded.
QString queryValue(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

// ---- Errors ----------------------------------------------------------------------------------------

QString datasetLabel(const QString &dataset)
{
    return dataset.isEmpty() ? tr("your datasets") : tr("the dataset “%1”").arg(dataset);
}

// The service's own words, safe to show.
QString serviceSays(const aws::AwsError &aws)
{
    QString text = aws.type;
    if (!aws.message.isEmpty())
        text += QStringLiteral(": ") + scrubSecrets(aws.message);
    return text;
}

bool isTransportCode(const QString &code)
{
    static const QStringList codes{QStringLiteral("net.timeout"), QStringLiteral("net.refused"),
                                   QStringLiteral("net.dns"),     QStringLiteral("net.closed"),
                                   QStringLiteral("net.failed"),  QStringLiteral("net.cancelled")};
    return codes.contains(code);
}

RemoteError errorFor(const aws::AwsFailure &failure, const QString &operation, const QString &dataset)
{
    const aws::AwsError &aws = failure.aws;
    const QString details = failure.error.details.isEmpty()
                                ? QStringLiteral("cognito-sync %1: %2").arg(operation, failure.error.code)
                                : failure.error.details;
    if (!aws.isError()) {
        // No answer from the service: the connection, or getting credentials, failed.
        if (isTransportCode(failure.error.code) || failure.error.code == QStringLiteral("aws.cancelled"))
            return RemoteError::make(RemoteErrorKind::Network, failure.error);
        if (failure.error.code.startsWith(QStringLiteral("net.")))
            return RemoteError::make(RemoteErrorKind::Other, failure.error); // TLS, refused address
        // Anything else came from the credentials provider: its text already says what to do.
        return RemoteError::make(RemoteErrorKind::NotAuthorized, failure.error);
    }

    const QString code = QStringLiteral("sync.remote.") + aws.type;
    const QString why = serviceSays(aws);
    const QString &type = aws.type;
    if (type == QLatin1String("ResourceConflictException"))
        return RemoteError::make(
            RemoteErrorKind::Conflict,
            UserError::make(
                code, tr("%1 changed on the server while this device was writing").arg(datasetLabel(dataset)),
                tr("Another device wrote to it at the same time (%1)").arg(why), tr("Synchronize again"),
                details));
    const bool rateLimit = aws.isThrottling() ||
                           (type == QLatin1String("LimitExceededException") &&
                            (aws.message.contains(QLatin1String("rate"), Qt::CaseInsensitive) ||
                             aws.message.contains(QLatin1String("too many requests"), Qt::CaseInsensitive)));
    if (rateLimit) {
        RemoteError busy = RemoteError::make(
            RemoteErrorKind::Throttled,
            UserError::make(
                code, tr("The sync service is busy"),
                tr("It is limiting this account's requests (%1, %2 attempts)").arg(why).arg(failure.attempts),
                tr("Nothing was lost: your changes stay on this device. Try again in a few minutes"),
                details));
        busy.retried = failure.attempts > 1;
        return busy;
    }
    if (type == QLatin1String("LimitExceededException"))
        return RemoteError::make(
            RemoteErrorKind::LimitExceeded,
            UserError::make(code, tr("%1 is over the sync service's limits").arg(datasetLabel(dataset)), why,
                            tr("Remove records or datasets you no longer need (at most 20 datasets of 1 MB "
                               "each), then synchronize again"),
                            details));
    static const QStringList authTypes{QStringLiteral("NotAuthorizedException"),
                                       QStringLiteral("ExpiredTokenException"),
                                       QStringLiteral("ExpiredToken"),
                                       QStringLiteral("InvalidClientTokenId"),
                                       QStringLiteral("UnrecognizedClientException"),
                                       QStringLiteral("AccessDeniedException"),
                                       QStringLiteral("AccessDenied"),
                                       QStringLiteral("InvalidSignatureException"),
                                       QStringLiteral("SignatureDoesNotMatch"),
                                       QStringLiteral("MissingAuthenticationTokenException"),
                                       QStringLiteral("IncompleteSignatureException")};
    if (authTypes.contains(type) || aws.httpStatus == 401 || aws.httpStatus == 403)
        return RemoteError::make(
            RemoteErrorKind::NotAuthorized,
            UserError::make(code, tr("The sync service refused this sign-in's credentials"), why,
                            tr("Sign in again; if it keeps happening, check the "
                               "identity pool's role in the profile"),
                            details));
    if (type == QLatin1String("ResourceNotFoundException")) {
        // The pool or the identity missing is a profile problem, not a deleted dataset.
        if (aws.message.contains(QLatin1String("IdentityPool"), Qt::CaseInsensitive) ||
            aws.message.startsWith(QLatin1String("Identity ")))
            return RemoteError::make(
                RemoteErrorKind::Other,
                UserError::make(code, tr("The sync service does not know this identity pool or identity"),
                                why, tr("Check the identity pool id in the profile, then sign in again"),
                                details));
        return RemoteError::make(
            RemoteErrorKind::NotFound,
            UserError::make(code, tr("%1 does not exist on the server").arg(datasetLabel(dataset)), why, {},
                            details));
    }
    if (aws.httpStatus >= 500 || aws.isRetryable())
        return RemoteError::make(
            RemoteErrorKind::Network,
            UserError::make(
                code, tr("The sync service has a problem"),
                tr("%1 (HTTP %2, %3 attempts)").arg(why).arg(aws.httpStatus).arg(failure.attempts),
                tr("Try again later"), details));
    return RemoteError::make(
        RemoteErrorKind::Other,
        UserError::make(code, tr("The sync service refused the request for %1").arg(datasetLabel(dataset)),
                        why,
                        tr("Check that the dataset name and keys are valid; otherwise report it with the "
                           "details"),
                        details));
}

RemoteError badReply(const QString &operation, const QString &problem)
{
    return RemoteError::make(
        RemoteErrorKind::Other,
        UserError::make(QStringLiteral("sync.remote.bad_reply"),
                        tr("The sync service sent an answer Fedsync cannot read"),
                        tr("%1: %2").arg(operation, problem),
                        tr("Check that the profile's Cognito Sync endpoint is the real service (not a proxy "
                           "or another server), then try again")));
}

// ---- Parsing ---------------------------------------------------------------------------------------

// Reads the service's JSON defensively: the first problem found is kept, later reads return defaults.
class Reader
{
public:
    explicit Reader(const QByteArray &body)
    {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError)
            m_problem = QStringLiteral("the body is not JSON (%1)").arg(error.errorString());
        else if (!document.isObject())
            m_problem = QStringLiteral("the body is not a JSON object");
        else
            m_root = document.object();
    }

    const QJsonObject &root() const { return m_root; }
    bool ok() const { return m_problem.isEmpty(); }
    const QString &problem() const { return m_problem; }
    void fail(const QString &problem)
    {
        if (m_problem.isEmpty())
            m_problem = problem;
    }

    // Absent or null gives `fallback`; another type is a problem.
    QString string(const QJsonObject &object, const char *name, const QString &where, bool required = false)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isString())
            return value.toString();
        if (!value.isUndefined() && !value.isNull())
            fail(QStringLiteral("%1%2 is not a string").arg(where, QLatin1String(name)));
        else if (required)
            fail(QStringLiteral("%1%2 is missing").arg(where, QLatin1String(name)));
        return {};
    }
    std::optional<QString> optionalString(const QJsonObject &object, const char *name, const QString &where)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isString())
            return value.toString();
        if (!value.isUndefined() && !value.isNull())
            fail(QStringLiteral("%1%2 is not a string").arg(where, QLatin1String(name)));
        return std::nullopt;
    }
    qint64 count(const QJsonObject &object, const char *name, const QString &where, bool required = false)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(QStringLiteral("%1%2 is missing").arg(where, QLatin1String(name)));
            return 0;
        }
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number < 0 || number > 9.0e15 || std::floor(number) != number) {
            fail(QStringLiteral("%1%2 is not a count").arg(where, QLatin1String(name)));
            return 0;
        }
        return qint64(number);
    }
    bool boolean(const QJsonObject &object, const char *name, const QString &where)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isBool())
            return value.toBool();
        if (!value.isUndefined() && !value.isNull())
            fail(QStringLiteral("%1%2 is not a boolean").arg(where, QLatin1String(name)));
        return false;
    }
    // Epoch seconds (fractions allowed); invalid when absent.
    QDateTime date(const QJsonObject &object, const char *name, const QString &where)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return {};
        const double seconds = value.toDouble(-1);
        if (!value.isDouble() || !std::isfinite(seconds) || seconds < 0 || seconds > 1.0e11) {
            fail(QStringLiteral("%1%2 is not a timestamp").arg(where, QLatin1String(name)));
            return {};
        }
        return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000.0)), Qt::UTC);
    }
    QJsonArray array(const QJsonObject &object, const char *name, const QString &where)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isArray())
            return value.toArray();
        if (!value.isUndefined() && !value.isNull())
            fail(QStringLiteral("%1%2 is not a list").arg(where, QLatin1String(name)));
        return {};
    }
    QJsonObject object(const QJsonValue &value, const QString &where)
    {
        if (value.isObject())
            return value.toObject();
        fail(QStringLiteral("%1 is not an object").arg(where));
        return {};
    }

    QList<SyncRecord> records(const QJsonObject &object)
    {
        QList<SyncRecord> out;
        const QJsonArray list = array(object, "Records", {});
        for (qsizetype i = 0; i < list.size() && ok(); ++i) {
            const QString where = QStringLiteral("Records[%1].").arg(i);
            const QJsonObject item = this->object(list.at(i), QStringLiteral("Records[%1]").arg(i));
            SyncRecord record;
            record.key = string(item, "Key", where, true);
            if (ok() && record.key.isEmpty())
                fail(where + QStringLiteral("Key is empty"));
            record.value = optionalString(item, "Value", where);
            record.syncCount = count(item, "SyncCount", where, true);
            record.lastModified = date(item, "LastModifiedDate", where);
            record.lastModifiedBy = string(item, "LastModifiedBy", where);
            record.deviceLastModified = date(item, "DeviceLastModifiedDate", where);
            out << record;
        }
        return out;
    }

private:
    QJsonObject m_root;
    QString m_problem;
};

} // namespace

// A running operation: the AWS call in flight (one page at a time), and whether it was cancelled.
class CognitoSyncRemote::Call final : public RemoteCall
{
public:
    ~Call() override { cancel(); }

    void cancel() override
    {
        m_cancelled = true;
        if (m_current) {
            aws::AwsCall *call = m_current;
            m_current.clear();
            call->disconnect();
            call->abort();
            call->deleteLater();
        }
    }
    bool isCancelled() const { return m_cancelled; }
    void setCurrent(aws::AwsCall *call) { m_current = call; }

private:
    QPointer<aws::AwsCall> m_current;
    bool m_cancelled = false;
};

CognitoSyncRemote::CognitoSyncRemote(aws::AwsClient &client, QString identityPoolId, QString identityId)
    : m_client(client)
    , m_poolId(std::move(identityPoolId))
    , m_identityId(std::move(identityId))
{}

CognitoSyncRemote::~CognitoSyncRemote()
{
    for (const std::weak_ptr<Call> &weak : m_calls) {
        if (const std::shared_ptr<Call> call = weak.lock())
            call->cancel();
    }
}

QByteArray CognitoSyncRemote::datasetsPath() const
{
    return "/identitypools/" + segment(m_poolId) + "/identities/" + segment(m_identityId) + "/datasets";
}

QByteArray CognitoSyncRemote::datasetPath(const QString &dataset) const
{
    return datasetsPath() + '/' + segment(dataset);
}

QByteArray CognitoSyncRemote::recordsPath(const QString &dataset) const
{
    return datasetPath(dataset) + "/records";
}

std::shared_ptr<CognitoSyncRemote::Call> CognitoSyncRemote::newCall()
{
    std::erase_if(m_calls, [](const std::weak_ptr<Call> &weak) { return weak.expired(); });
    auto call = std::make_shared<Call>();
    m_calls.push_back(call);
    return call;
}

void CognitoSyncRemote::send(const std::shared_ptr<Call> &call, QObject *context, const Request &request,
                             Reply reply, bool expiredRetried)
{
    aws::AwsCallOptions options;
    options.sign = true;
    options.summary = request.dataset.isEmpty()
                          ? request.operation
                          : QStringLiteral("%1 %2").arg(request.operation, request.dataset);
    aws::AwsCall *awsCall = m_client.callRestJson(service, request.operation, request.method, request.path,
                                                  request.query, request.body, options);
    call->setCurrent(awsCall);
    awsCall->bindLifetimeTo(context);
    // The call stays alive while a request of it is in flight, even if the caller dropped its handle.
    QObject::connect(
        awsCall, &aws::AwsCall::finished, context,
        [this, owner = call, awsCall, context, request, reply = std::move(reply), expiredRetried]() {
            if (owner->isCancelled())
                return;
            owner->setCurrent(nullptr);
            const QString type = awsCall->failure().aws.type;
            if (!expiredRetried &&
                (type == QLatin1String("ExpiredTokenException") || type == QLatin1String("ExpiredToken"))) {
                // Credentials can run out between being handed out and arriving; asking
                // again gets new ones from the provider.
                qCInfo(lcSync) << request.operation << "met expired credentials; asking again";
                send(owner, context, request, reply, true);
                return;
            }
            reply(*awsCall);
        });
}

// ---- ListDatasets -------------------------------------------------------------------------------------

RemoteCallHandle CognitoSyncRemote::listDatasets(QObject *context, Callback<QList<RemoteDataset>> done)
{
    const std::shared_ptr<Call> call = newCall();
    listDatasetsPage(call, context, {}, 1, std::make_shared<QList<RemoteDataset>>(), std::move(done));
    return call;
}

void CognitoSyncRemote::listDatasetsPage(const std::shared_ptr<Call> &call, QObject *context,
                                         const QString &token, int page,
                                         std::shared_ptr<QList<RemoteDataset>> merged,
                                         Callback<QList<RemoteDataset>> done)
{
    Request request{QStringLiteral("ListDatasets"), "GET", datasetsPath(), {}, {}, {}};
    request.query.addQueryItem(QStringLiteral("maxResults"), QString::number(ListDatasetsPageSize));
    if (!token.isEmpty())
        request.query.addQueryItem(QStringLiteral("nextToken"), queryValue(token));
    send(call, context, request, [this, call, context, token, page, merged, done](const aws::AwsCall &reply) {
        RemoteResult<QList<RemoteDataset>> result;
        if (!reply.isOk()) {
            result.error = errorFor(reply.failure(), QStringLiteral("ListDatasets"), {});
            return done(result);
        }
        Reader json(reply.body());
        const QJsonArray list = json.array(json.root(), "Datasets", {});
        for (qsizetype i = 0; i < list.size() && json.ok(); ++i) {
            const QString where = QStringLiteral("Datasets[%1].").arg(i);
            const QJsonObject item = json.object(list.at(i), QStringLiteral("Datasets[%1]").arg(i));
            RemoteDataset dataset;
            dataset.name = json.string(item, "DatasetName", where, true);
            dataset.created = json.date(item, "CreationDate", where);
            dataset.lastModified = json.date(item, "LastModifiedDate", where);
            dataset.lastModifiedBy = json.string(item, "LastModifiedBy", where);
            dataset.storageSizeBytes = json.count(item, "DataStorage", where);
            dataset.recordCount = json.count(item, "NumRecords", where);
            *merged << dataset;
        }
        const QString next = json.string(json.root(), "NextToken", {});
        if (json.ok() && !next.isEmpty() && (next == token || page >= MaxPages))
            json.fail(QStringLiteral("NextToken does not advance"));
        if (!json.ok()) {
            result.error = badReply(QStringLiteral("ListDatasets"), json.problem());
            return done(result);
        }
        if (!next.isEmpty())
            return listDatasetsPage(call, context, next, page + 1, merged, done);
        result.value = *merged;
        done(result);
    });
}

// ---- ListRecords --------------------------------------------------------------------------------------

RemoteCallHandle CognitoSyncRemote::listRecords(const ListRecordsRequest &request, QObject *context,
                                                Callback<ListRecordsReply> done)
{
    const std::shared_ptr<Call> call = newCall();
    listRecordsPage(call, context, request, request.nextToken, 1, std::make_shared<ListRecordsReply>(),
                    std::move(done));
    return call;
}

void CognitoSyncRemote::listRecordsPage(const std::shared_ptr<Call> &call, QObject *context,
                                        const ListRecordsRequest &request, const QString &token, int page,
                                        std::shared_ptr<ListRecordsReply> merged,
                                        Callback<ListRecordsReply> done)
{
    Request http{QStringLiteral("ListRecords"), "GET", recordsPath(request.dataset), {}, {}, request.dataset};
    http.query.addQueryItem(QStringLiteral("lastSyncCount"),
                            QString::number(std::max<qint64>(0, request.lastSyncCount)));
    http.query.addQueryItem(QStringLiteral("maxResults"),
                            QString::number(std::clamp(request.maxResults, 1, MaxListRecordsPageSize)));
    if (!token.isEmpty())
        http.query.addQueryItem(QStringLiteral("nextToken"), queryValue(token));
    // Later pages belong to the same sync session.
    if (!merged->syncSessionToken.isEmpty())
        http.query.addQueryItem(QStringLiteral("syncSessionToken"), queryValue(merged->syncSessionToken));
    send(call, context, http,
         [this, call, context, request, token, page, merged, done](const aws::AwsCall &reply) {
             RemoteResult<ListRecordsReply> result;
             if (!reply.isOk()) {
                 result.error = errorFor(reply.failure(), QStringLiteral("ListRecords"), request.dataset);
                 return done(result);
             }
             Reader json(reply.body());
             const QJsonObject &root = json.root();
             const QList<SyncRecord> records = json.records(root);
             const qint64 syncCount = json.count(root, "DatasetSyncCount", {});
             const bool exists = json.boolean(root, "DatasetExists", {});
             const bool deleted = json.boolean(root, "DatasetDeletedAfterRequestedSyncCount", {});
             const QString session = json.string(root, "SyncSessionToken", {}, true);
             QStringList mergedNames;
             const QJsonArray names = json.array(root, "MergedDatasetNames", {});
             for (qsizetype i = 0; i < names.size() && json.ok(); ++i) {
                 if (!names.at(i).isString())
                     json.fail(QStringLiteral("MergedDatasetNames[%1] is not a string").arg(i));
                 mergedNames << names.at(i).toString();
             }
             const QString next = json.string(root, "NextToken", {});
             if (json.ok() && !next.isEmpty() && (next == token || page >= MaxPages))
                 json.fail(QStringLiteral("NextToken does not advance"));
             if (!json.ok()) {
                 result.error = badReply(QStringLiteral("ListRecords"), json.problem());
                 return done(result);
             }
             if (page == 1) {
                 // The first page's count: anything written while later pages are read has a higher
                 // sync count and comes again with the next pull, never lost.
                 merged->datasetSyncCount = syncCount;
                 merged->syncSessionToken = session;
                 merged->datasetExists = exists;
                 merged->datasetDeletedAfterRequestedSyncCount = deleted;
             }
             merged->records += records;
             for (const QString &name : std::as_const(mergedNames)) {
                 if (!merged->mergedDatasetNames.contains(name))
                     merged->mergedDatasetNames << name;
             }
             if (!next.isEmpty())
                 return listRecordsPage(call, context, request, next, page + 1, merged, done);
             result.value = *merged;
             result.value.nextToken.clear();
             done(result);
         });
}

// ---- UpdateRecords ------------------------------------------------------------------------------------

RemoteCallHandle CognitoSyncRemote::updateRecords(const UpdateRecordsRequest &request, QObject *context,
                                                  Callback<QList<SyncRecord>> done)
{
    const std::shared_ptr<Call> call = newCall();
    QJsonArray patches;
    for (const RecordPatch &patch : request.patches) {
        QJsonObject item{{QStringLiteral("Op"), patch.op == RecordPatch::Op::Replace
                                                    ? QStringLiteral("replace")
                                                    : QStringLiteral("remove")},
                         {QStringLiteral("Key"), patch.key},
                         {QStringLiteral("SyncCount"), double(patch.syncCount)}};
        if (patch.op == RecordPatch::Op::Replace)
            item.insert(QStringLiteral("Value"), patch.value);
        if (patch.deviceLastModified.isValid())
            item.insert(QStringLiteral("DeviceLastModifiedDate"),
                        double(patch.deviceLastModified.toMSecsSinceEpoch()) / 1000.0);
        patches.append(item);
    }
    QJsonObject body{{QStringLiteral("RecordPatches"), patches},
                     {QStringLiteral("SyncSessionToken"), request.syncSessionToken}};
    if (!request.deviceId.isEmpty())
        body.insert(QStringLiteral("DeviceId"), request.deviceId);
    const Request http{
        QStringLiteral("UpdateRecords"), "POST", datasetPath(request.dataset), {}, body, request.dataset};
    QStringList keys;
    for (const RecordPatch &patch : request.patches)
        keys << patch.key;
    send(call, context, http, [dataset = request.dataset, keys, done](const aws::AwsCall &reply) {
        RemoteResult<QList<SyncRecord>> result;
        if (!reply.isOk()) {
            result.error = errorFor(reply.failure(), QStringLiteral("UpdateRecords"), dataset);
            return done(result);
        }
        Reader json(reply.body());
        result.value = json.records(json.root());
        for (const SyncRecord &record : std::as_const(result.value)) {
            if (json.ok() && !keys.contains(record.key))
                json.fail(QStringLiteral("the answer holds the key “%1” that was not sent").arg(record.key));
        }
        if (!json.ok()) {
            result.value.clear();
            result.error = badReply(QStringLiteral("UpdateRecords"), json.problem());
        }
        done(result);
    });
    return call;
}

// ---- DeleteDataset ------------------------------------------------------------------------------------

RemoteCallHandle CognitoSyncRemote::deleteDataset(const QString &dataset, QObject *context,
                                                  Callback<bool> done)
{
    const std::shared_ptr<Call> call = newCall();
    const Request http{QStringLiteral("DeleteDataset"), "DELETE", datasetPath(dataset), {}, {}, dataset};
    send(call, context, http, [dataset, done](const aws::AwsCall &reply) {
        RemoteResult<bool> result;
        if (!reply.isOk()) {
            result.error = errorFor(reply.failure(), QStringLiteral("DeleteDataset"), dataset);
            return done(result);
        }
        // The answer describes what was deleted; only its shape matters here.
        Reader json(reply.body());
        json.object(json.root().value(QStringLiteral("Dataset")), QStringLiteral("Dataset"));
        if (!json.ok()) {
            result.error = badReply(QStringLiteral("DeleteDataset"), json.problem());
            return done(result);
        }
        result.value = true;
        done(result);
    });
    return call;
}

} // namespace fedsync
