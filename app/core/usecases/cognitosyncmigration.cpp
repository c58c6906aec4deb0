#include "usecases/cognitosyncmigration.h"

#include "aws/awscredentials.h"
#include "aws/cognitocredentialsprovider.h"
#include "aws/dynamodbclient.h"
#include "common/deliverlater.h"
#include "log/logcategories.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "sync/cognitosyncremote.h"
#include "sync/dynamodbremote.h"
#include "sync/syncremote.h"

#include <QCoreApplication>
#include <QHash>
#include <QPointer>

namespace fedsync {

namespace {

// Rounds of "read both sides, write what is missing" per dataset: one normally; more when a write was
// only partly accepted or met a concurrent writer.
constexpr int MaxRounds = 5;

struct Totals
{
    qint64 records = 0;
    qint64 bytes = 0;
};

Totals totalsOf(const QList<SyncRecord> &records)
{
    Totals totals;
    for (const SyncRecord &record : records) {
        if (record.isRemoved())
            continue;
        ++totals.records;
        totals.bytes += record.key.toUtf8().size() + record.value->toUtf8().size();
    }
    return totals;
}

} // namespace

int CognitoSyncMigration::Report::written() const
{
    int total = 0;
    for (const DatasetReport &dataset : datasets)
        total += dataset.copied + dataset.removalsCopied;
    return total;
}

// What prepare() builds: both remotes and the DynamoDB client under them.
struct CognitoSyncMigration::Owned
{
    std::unique_ptr<CognitoSyncRemote> source;
    std::unique_ptr<aws::DynamoDbClient> dynamoDb;
    std::unique_ptr<DynamoDbRemote> target;
};

void CognitoSyncMigration::prepare(ProfileContext &context, QObject *receiver, ReadyCallback done)
{
    QPointer<QObject> guard(receiver);
    auto deliver = [guard, done](std::unique_ptr<CognitoSyncMigration> migration, const UserError &error) {
        auto shared = std::make_shared<std::unique_ptr<CognitoSyncMigration>>(std::move(migration));
        deliverLater(guard.data(), [done, shared, error] { done(std::move(*shared), error); });
    };
    if (!receiver)
        return;
    AwsAccess *cognito = context.cognito();
    if (!cognito)
        return deliver(nullptr, context.cognitoProblem().isError()
                                    ? context.cognitoProblem()
                                    : UserError::make(QStringLiteral("cognito.not_configured"),
                                                      tr("This profile has no Amazon Cognito side"), {},
                                                      tr("Fill in the Cognito part of the profile")));
    if (!cognito->dynamoDbClient())
        return deliver(nullptr, UserError::make(
                                    QStringLiteral("migrate.not_dynamodb"),
                                    tr("This profile keeps its datasets in Cognito Sync"),
                                    tr("A migration copies Cognito Sync datasets into the profile's DynamoDB "
                                       "table"),
                                    tr("Choose DynamoDB as the profile's store (with the table's name), keep "
                                       "the Cognito Sync endpoint, then migrate")));
    QPointer<ProfileContext> contextGuard(&context);
    cognito->credentials()->requestCredentials([contextGuard, deliver](const aws::AwsCredentials &credentials,
                                                                       const UserError &error) {
        if (!contextGuard)
            return;
        if (error.isError())
            return deliver(nullptr, error);
        AwsAccess *session = contextGuard->cognito();
        auto owned = std::make_unique<Owned>();
        owned->source = std::make_unique<CognitoSyncRemote>(
            *session->awsClient(), contextGuard->profile().cognito.identityPoolId, credentials.identityId);
        owned->dynamoDb = std::make_unique<aws::DynamoDbClient>(
            *session->dynamoDbClient(), contextGuard->profile().cognito.dynamoDbTable);
        owned->target = std::make_unique<DynamoDbRemote>(*owned->dynamoDb, credentials.identityId);
        auto migration = std::make_unique<CognitoSyncMigration>(*owned->source, *owned->target);
        migration->m_owned = std::move(owned);
        migration->m_identityId = credentials.identityId;
        deliver(std::move(migration), {});
    });
}

CognitoSyncMigration::CognitoSyncMigration(SyncRemote &source, SyncRemote &target, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_target(target)
{}

CognitoSyncMigration::~CognitoSyncMigration()
{
    if (m_call)
        m_call->cancel();
    m_call.reset();
}

void CognitoSyncMigration::start()
{
    m_call = m_source.listDatasets(this, [this](const RemoteResult<QList<RemoteDataset>> &result) {
        m_call.reset();
        if (!result.ok())
            return fail(result.error->error);
        m_datasets = result.value;
        qCInfo(lcUsecases) << "migrating" << m_datasets.size() << "datasets from Cognito Sync";
        nextDataset();
    });
}

void CognitoSyncMigration::cancel()
{
    if (m_done)
        return;
    if (m_call)
        m_call->cancel();
    m_call.reset();
    fail(UserError::make(QStringLiteral("migrate.cancelled"), tr("The migration was stopped"),
                         tr("What was copied so far stays in DynamoDB"), tr("Run it again to go on")));
}

void CognitoSyncMigration::nextDataset()
{
    if (m_done)
        return;
    ++m_index;
    if (m_index >= m_datasets.size()) {
        m_done = true;
        Q_EMIT finished(m_report);
        return;
    }
    DatasetReport report;
    report.name = m_datasets.at(m_index).name;
    m_report.datasets << report;
    Q_EMIT progress(report.name, m_index, int(m_datasets.size()));
    copyRound(1);
}

void CognitoSyncMigration::copyRound(int round)
{
    const QString name = m_datasets.at(m_index).name;
    m_call = m_source.listRecords(
        {name, 0, {}, 1024}, this, [this, name, round](const RemoteResult<ListRecordsReply> &source) {
            m_call.reset();
            if (!source.ok())
                return fail(source.error->error);
            m_call = m_target.listRecords(
                {name, 0, {}, 1024}, this,
                [this, name, round,
                 sourceRecords = source.value.records](const RemoteResult<ListRecordsReply> &target) {
                    m_call.reset();
                    if (!target.ok())
                        return fail(target.error->error);
                    DatasetReport &report = m_report.datasets.last();
                    QHash<QString, SyncRecord> there;
                    for (const SyncRecord &record : target.value.records)
                        there.insert(record.key, record);
                    UpdateRecordsRequest request{
                        name, QStringLiteral("fedsync-migration"), {}, target.value.syncSessionToken};
                    QStringList kept;
                    int same = 0;
                    for (const SyncRecord &record : sourceRecords) {
                        const auto found = there.constFind(record.key);
                        if (found != there.cend()) {
                            if (found->value == record.value)
                                ++same;
                            else
                                kept << record.key;
                            continue;
                        }
                        RecordPatch patch;
                        patch.op = record.isRemoved() ? RecordPatch::Op::Remove : RecordPatch::Op::Replace;
                        patch.key = record.key;
                        patch.value = record.value.value_or(QString());
                        patch.syncCount = 0;
                        patch.deviceLastModified = record.deviceLastModified.isValid()
                                                       ? record.deviceLastModified
                                                       : record.lastModified;
                        request.patches << patch;
                    }
                    if (round == 1) {
                        report.alreadyThere = same;
                        const Totals totals = totalsOf(sourceRecords);
                        report.sourceRecords = totals.records;
                        report.sourceBytes = totals.bytes;
                    }
                    report.keptInTarget = kept;
                    if (request.patches.isEmpty()) {
                        const Totals totals = totalsOf(target.value.records);
                        report.targetRecords = totals.records;
                        report.targetBytes = totals.bytes;
                        report.verified = kept.isEmpty() ? totals.records == report.sourceRecords &&
                                                               totals.bytes == report.sourceBytes
                                                         : true;
                        if (!report.verified)
                            return fail(UserError::make(
                                QStringLiteral("migrate.verify"),
                                tr("The copy of “%1” does not match Cognito Sync").arg(name),
                                tr("Cognito Sync holds %1 records (%2 bytes), DynamoDB %3 records (%4 bytes)")
                                    .arg(report.sourceRecords)
                                    .arg(report.sourceBytes)
                                    .arg(report.targetRecords)
                                    .arg(report.targetBytes),
                                tr("Run the migration again; if it persists, report it with these figures")));
                        return nextDataset();
                    }
                    if (round > MaxRounds)
                        return fail(UserError::make(QStringLiteral("migrate.stuck"),
                                                    tr("“%1” could not be copied completely").arg(name),
                                                    tr("DynamoDB kept refusing part of it (%1 records left)")
                                                        .arg(request.patches.size()),
                                                    tr("Run the migration again in a moment")));
                    m_call = m_target.updateRecords(
                        request, this,
                        [this, round, request](const RemoteResult<QList<SyncRecord>> &written) {
                            m_call.reset();
                            if (!written.ok() && written.error->kind != RemoteErrorKind::Conflict)
                                return fail(written.error->error);
                            DatasetReport &current = m_report.datasets.last();
                            for (const SyncRecord &record : written.value) {
                                if (record.isRemoved())
                                    ++current.removalsCopied;
                                else
                                    ++current.copied;
                            }
                            // Read both sides again: verifies what was written, and copies what was not.
                            copyRound(round + 1);
                        });
                });
        });
}

void CognitoSyncMigration::fail(const UserError &error)
{
    if (m_done)
        return;
    m_done = true;
    qCWarning(lcUsecases) << "migration failed:" << error.code;
    Q_EMIT failed(error);
}

} // namespace fedsync
