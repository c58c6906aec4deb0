#include "sync/cognitosyncremote.h"
#include "common/errorcodes.h"

#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "aws/sigv4signer.h"
#include "log/logcategories.h"
#include "log/redact.h"
#include "sync/remoteerrors.h"
#include "sync/synclimits.h"

#include <QCoreApplication>
#include <QPointer>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CognitoSyncRemote", text);
}

// ---- Errors ----------------------------------------------------------------------------------------

QString datasetLabel(const QString &dataset)
{
    return SyncLimits::datasetLabel(dataset);
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
        if (isTransportCode(failure.error.code) || failure.error.code == errorcode::AwsCancelled)
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
        return SyncLimits::exceeded(dataset, why, details);
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
    if (const std::optional<RemoteError> problem = RemoteErrors::serviceProblem(failure, code, why, details))
        return *problem;
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

// ---- Mapping between the client's values and the seam's --------------------------------------------

SyncRecord syncRecord(const aws::CognitoSyncRecord &in)
{
    return {in.key, in.value, in.syncCount, in.lastModified, in.lastModifiedBy, in.deviceLastModified};
}

QList<SyncRecord> syncRecords(const QList<aws::CognitoSyncRecord> &in)
{
    QList<SyncRecord> out;
    out.reserve(in.size());
    for (const aws::CognitoSyncRecord &record : in)
        out << syncRecord(record);
    return out;
}

RemoteDataset remoteDataset(const aws::CognitoSyncDataset &in)
{
    RemoteDataset out;
    out.name = in.name;
    out.created = in.created;
    out.lastModified = in.lastModified;
    out.lastModifiedBy = in.lastModifiedBy;
    out.storageSizeBytes = in.dataStorage;
    out.recordCount = in.numRecords;
    return out;
}

aws::CognitoSyncUpdate update(const UpdateRecordsRequest &request)
{
    aws::CognitoSyncUpdate out{request.dataset, request.deviceId, {}, request.syncSessionToken};
    for (const RecordPatch &patch : request.patches)
        out.patches << aws::CognitoSyncPatch{patch.op == RecordPatch::Op::Remove, patch.key, patch.value,
                                             patch.syncCount, patch.deviceLastModified};
    return out;
}

// An UpdateRecords body made off the UI thread.
struct PreparedBody
{
    QByteArray json;
    QByteArray sha256;
};

// An UpdateRecords reply read off the UI thread: the records, or a problem.
struct ParsedUpdate
{
    QList<SyncRecord> records;
    QString problem;
};

ParsedUpdate parseUpdate(const QByteArray &body, const aws::CognitoSyncUpdate &sent)
{
    ParsedUpdate out;
    const auto parsed = aws::CognitoSyncClient::parseUpdatedRecords(body, &out.problem);
    if (!parsed)
        return out;
    QSet<QString> keys;
    keys.reserve(sent.patches.size());
    for (const aws::CognitoSyncPatch &patch : sent.patches)
        keys.insert(patch.key);
    for (const aws::CognitoSyncRecord &record : *parsed) {
        if (!keys.contains(record.key)) {
            out.problem = QStringLiteral("the answer holds the key “%1” that was not sent").arg(record.key);
            return out;
        }
    }
    out.records = syncRecords(*parsed);
    return out;
}

} // namespace

// A ListRecords page read off the UI thread.
struct CognitoSyncRemote::ParsedPage
{
    std::optional<aws::CognitoSyncRecordsPage> page;
    QList<SyncRecord> records;
    QString problem;
};

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
    : m_client(client, std::move(identityPoolId), std::move(identityId))
{}

CognitoSyncRemote::~CognitoSyncRemote()
{
    for (const std::weak_ptr<Call> &weak : m_calls) {
        if (const std::shared_ptr<Call> call = weak.lock())
            call->cancel();
    }
}

std::shared_ptr<CognitoSyncRemote::Call> CognitoSyncRemote::newCall()
{
    std::erase_if(m_calls, [](const std::weak_ptr<Call> &weak) { return weak.expired(); });
    auto call = std::make_shared<Call>();
    m_calls.push_back(call);
    return call;
}

void CognitoSyncRemote::send(const std::shared_ptr<Call> &call, QObject *context, const QString &operation,
                             const Start &start, Reply reply, bool expiredRetried)
{
    aws::AwsCall *awsCall = start();
    call->setCurrent(awsCall);
    awsCall->bindLifetimeTo(context);
    // The call stays alive while a request of it is in flight, even if the caller dropped its handle.
    QObject::connect(
        awsCall, &aws::AwsCall::finished, context,
        [this, owner = call, awsCall, context, operation, start, reply = std::move(reply), expiredRetried]() {
            if (owner->isCancelled())
                return;
            owner->setCurrent(nullptr);
            if (!expiredRetried && aws::CognitoSyncClient::isExpiredCredentials(awsCall->failure())) {
                // Credentials can run out between being handed out and arriving; asking
                // again gets new ones from the provider.
                qCInfo(lcSync) << operation << "met expired credentials; asking again";
                send(owner, context, operation, start, reply, true);
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
    const QString operation = QStringLiteral("ListDatasets");
    const Start start = [this, token] {
        return m_client.listDatasets(token);
    };
    send(call, context, operation, start,
         [this, call, context, operation, token, page, merged, done](const aws::AwsCall &reply) {
             RemoteResult<QList<RemoteDataset>> result;
             if (!reply.isOk()) {
                 result.error = errorFor(reply.failure(), operation, {});
                 return done(result);
             }
             QString problem;
             const auto parsed = aws::CognitoSyncClient::parseDatasets(reply.body(), &problem);
             if (parsed && !parsed->nextToken.isEmpty() && (parsed->nextToken == token || page >= MaxPages))
                 problem = QStringLiteral("NextToken does not advance");
             if (!problem.isEmpty()) {
                 result.error = badReply(operation, problem);
                 return done(result);
             }
             for (const aws::CognitoSyncDataset &dataset : parsed->datasets)
                 *merged << remoteDataset(dataset);
             if (!parsed->nextToken.isEmpty())
                 return listDatasetsPage(call, context, parsed->nextToken, page + 1, merged, done);
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
    const QString operation = QStringLiteral("ListRecords");
    // Later pages belong to the same sync session.
    const aws::CognitoSyncListRecords http{request.dataset, request.lastSyncCount, request.maxResults, token,
                                           merged->syncSessionToken};
    const Start start = [this, http] {
        return m_client.listRecords(http);
    };
    send(
        call, context, operation, start,
        [this, call, context, operation, request, token, page, merged, done](const aws::AwsCall &reply) {
            if (!reply.isOk()) {
                RemoteResult<ListRecordsReply> result;
                result.error = errorFor(reply.failure(), operation, request.dataset);
                return done(result);
            }
            m_background.runIfLarge(
                context, reply.body().size(),
                [body = reply.body()] {
                    ParsedPage parsed;
                    parsed.page = aws::CognitoSyncClient::parseRecords(body, &parsed.problem);
                    if (parsed.page)
                        parsed.records = syncRecords(parsed.page->records);
                    return parsed;
                },
                [this, call, context, operation, request, token, page, merged, done](const ParsedPage &read) {
                    if (!call->isCancelled())
                        listRecordsRead(call, context, request, token, page, merged, done, read);
                });
        });
}

void CognitoSyncRemote::listRecordsRead(const std::shared_ptr<Call> &call, QObject *context,
                                        const ListRecordsRequest &request, const QString &token, int page,
                                        std::shared_ptr<ListRecordsReply> merged,
                                        const Callback<ListRecordsReply> &done, const ParsedPage &read)
{
    const QString operation = QStringLiteral("ListRecords");
    RemoteResult<ListRecordsReply> result;
    QString problem = read.problem;
    const std::optional<aws::CognitoSyncRecordsPage> &parsed = read.page;
    if (parsed && !parsed->nextToken.isEmpty() && (parsed->nextToken == token || page >= MaxPages))
        problem = QStringLiteral("NextToken does not advance");
    if (!problem.isEmpty()) {
        result.error = badReply(operation, problem);
        return done(result);
    }
    if (page == 1) {
        // The first page's count: anything written while later pages are read has a higher
        // sync count and comes again with the next pull, never lost.
        merged->datasetSyncCount = parsed->datasetSyncCount;
        merged->syncSessionToken = parsed->syncSessionToken;
        merged->datasetExists = parsed->datasetExists;
        merged->datasetDeletedAfterRequestedSyncCount = parsed->datasetDeletedAfterRequestedSyncCount;
    }
    merged->records += read.records;
    for (const QString &name : parsed->mergedDatasetNames) {
        if (!merged->mergedDatasetNames.contains(name))
            merged->mergedDatasetNames << name;
    }
    if (!parsed->nextToken.isEmpty())
        return listRecordsPage(call, context, request, parsed->nextToken, page + 1, merged, done);
    result.value = *merged;
    result.value.nextToken.clear();
    done(result);
}

// ---- UpdateRecords ------------------------------------------------------------------------------------

RemoteCallHandle CognitoSyncRemote::updateRecords(const UpdateRecordsRequest &request, QObject *context,
                                                  Callback<QList<SyncRecord>> done)
{
    const std::shared_ptr<Call> call = newCall();
    const aws::CognitoSyncUpdate http = update(request);
    qsizetype bytes = 0; // about the body's size
    for (const aws::CognitoSyncPatch &patch : http.patches)
        bytes += 100 + patch.key.size() + patch.value.size();
    m_background.runIfLarge(
        context, bytes,
        [http] {
            PreparedBody body;
            body.json = aws::CognitoSyncClient::updateRecordsBody(http);
            body.sha256 = aws::SigV4Signer::sha256Hex(body.json);
            return body;
        },
        [this, call, context, http, done](const PreparedBody &body) {
            if (call->isCancelled())
                return;
            const QString operation = QStringLiteral("UpdateRecords");
            const Start start = [this, dataset = http.dataset, body] {
                return m_client.updateRecords(dataset, body.json, body.sha256);
            };
            send(call, context, operation, start,
                 [this, call, context, operation, http, done](const aws::AwsCall &reply) {
                     if (!reply.isOk()) {
                         RemoteResult<QList<SyncRecord>> result;
                         result.error = errorFor(reply.failure(), operation, http.dataset);
                         return done(result);
                     }
                     m_background.runIfLarge(
                         context, reply.body().size(),
                         [body = reply.body(), http] { return parseUpdate(body, http); },
                         [call, operation, done](const ParsedUpdate &parsed) {
                             if (call->isCancelled())
                                 return;
                             RemoteResult<QList<SyncRecord>> result;
                             if (!parsed.problem.isEmpty())
                                 result.error = badReply(operation, parsed.problem);
                             else
                                 result.value = parsed.records;
                             done(result);
                         });
                 });
        });
    return call;
}

// ---- DeleteDataset ------------------------------------------------------------------------------------

RemoteCallHandle CognitoSyncRemote::deleteDataset(const QString &dataset, QObject *context,
                                                  Callback<bool> done)
{
    const std::shared_ptr<Call> call = newCall();
    const QString operation = QStringLiteral("DeleteDataset");
    const Start start = [this, dataset] {
        return m_client.deleteDataset(dataset);
    };
    send(call, context, operation, start, [operation, dataset, done](const aws::AwsCall &reply) {
        RemoteResult<bool> result;
        if (!reply.isOk()) {
            result.error = errorFor(reply.failure(), operation, dataset);
            return done(result);
        }
        QString problem;
        if (!aws::CognitoSyncClient::parseDeletedDataset(reply.body(), &problem)) {
            result.error = badReply(operation, problem);
            return done(result);
        }
        result.value = true;
        done(result);
    });
    return call;
}

} // namespace fedsync
