// Moves a signed-in identity's datasets from Cognito Sync to the profile's DynamoDB store, for
// `fedsync-cli migrate --from cognito-sync` and the main window's "Migrate from Cognito Sync…" alike.
//
// For each Cognito Sync dataset: read every record from both sides (removals included), write to
// DynamoDB only the records it lacks (values, and removals as tombstones, with their device times),
// then read both sides again and compare the live record counts and sizes. The source is only ever
// read. Records that DynamoDB already holds are never overwritten: a value written there after the
// migration began is newer, and is listed instead. So a second run copies nothing and says so, and a
// run killed in the middle resumes where it stopped (every write is an all-or-nothing transaction).
#pragma once

#include "common/usererror.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace fedsync {

class ProfileContext;
class SyncRemote;
struct RemoteDataset;
struct SyncRecord;
class RemoteCall;

class CognitoSyncMigration final : public QObject
{
    Q_OBJECT
public:
    struct DatasetReport
    {
        QString name;
        int copied = 0;           // values written to DynamoDB by this run
        int removalsCopied = 0;   // removals (tombstones) written by this run
        int alreadyThere = 0;     // records DynamoDB already held with the same value
        QStringList keptInTarget; // keys DynamoDB holds with another value (changed there since)
        qint64 sourceRecords = 0;
        qint64 sourceBytes = 0;
        qint64 targetRecords = 0;
        qint64 targetBytes = 0;
        bool verified = false; // counts and sizes match (or differ only by keptInTarget)
    };
    struct Report
    {
        QList<DatasetReport> datasets;
        int written() const;
        bool nothingCopied() const { return written() == 0; }
    };

    using ReadyCallback =
        std::function<void(std::unique_ptr<CognitoSyncMigration> migration, const UserError &error)>;

    // For the signed-in user of `context`, whose profile keeps datasets in DynamoDB and names the Cognito
    // Sync endpoint to read from: gets credentials (for the identity id), builds both remotes. Calls
    // `done` once, later, unless `receiver` is destroyed first.
    static void prepare(ProfileContext &context, QObject *receiver, ReadyCallback done);

    // With remotes the caller owns (tests): `source` is read only.
    CognitoSyncMigration(SyncRemote &source, SyncRemote &target, QObject *parent = nullptr);
    ~CognitoSyncMigration() override;

    QString identityId() const { return m_identityId; }

    // Runs to finished() or failed(); cancel() stops after the request in flight (what was written stays
    // written, and a later run goes on from there).
    void start();
    void cancel();

Q_SIGNALS:
    void progress(const QString &dataset, int index, int total);
    void finished(const fedsync::CognitoSyncMigration::Report &report);
    void failed(const fedsync::UserError &error);

private:
    struct Owned;
    void nextDataset();
    void copyRound(int round);
    void fail(const UserError &error);

    SyncRemote &m_source;
    SyncRemote &m_target;
    std::unique_ptr<Owned> m_owned; // the remotes prepare() made
    QString m_identityId;
    QList<RemoteDataset> m_datasets;
    int m_index = -1;
    Report m_report;
    std::shared_ptr<RemoteCall> m_call;
    bool m_done = false;
};

} // namespace fedsync
