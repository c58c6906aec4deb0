// PullMerge: the one place that decides what a pull does to the local copy (conflicts, edits that settle
// themselves, conflict policies, and the action for each pulled record that LocalStore applies).
#include "sync/pullmerge.h"
#include "testmain.h"

using namespace fedsync;
using Action = LocalStore::PulledRecord::Action;

namespace {

SyncRecord remote(const QString &key, std::optional<QString> value, qint64 syncCount, qint64 msecs = 1000)
{
    SyncRecord record;
    record.key = key;
    record.value = std::move(value);
    record.syncCount = syncCount;
    record.lastModified = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    record.deviceLastModified = record.lastModified;
    return record;
}

LocalRecord edit(const QString &key, const QString &value, qint64 syncCount, qint64 revision, qint64 msecs)
{
    LocalRecord local;
    local.dataset = QStringLiteral("d");
    local.record.key = key;
    local.record.value = value;
    local.record.syncCount = syncCount;
    local.record.deviceLastModified = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    local.dirty = true;
    local.revision = revision;
    return local;
}

} // namespace

class TestPullMerge : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findsConflictsAndSelfSettledEdits();
    void policiesSettleConflicts();
    void decidesEveryPulledRecord();
    void identityCardNeverConflicts();
};

void TestPullMerge::findsConflictsAndSelfSettledEdits()
{
    const PullMerge merge(QStringLiteral("d"),
                          {remote(QStringLiteral("clean"), QStringLiteral("r"), 5),
                           remote(QStringLiteral("same"), QStringLiteral("v"), 5),
                           remote(QStringLiteral("changed"), QStringLiteral("r"), 5),
                           remote(QStringLiteral("onTop"), QStringLiteral("r"), 3)},
                          {edit(QStringLiteral("same"), QStringLiteral("v"), 2, 1, 500),
                           edit(QStringLiteral("changed"), QStringLiteral("mine"), 2, 1, 500),
                           edit(QStringLiteral("onTop"), QStringLiteral("mine"), 3, 1, 500)});
    const auto conflicts = merge.conflicts();
    QCOMPARE(conflicts.size(), 1);
    QCOMPARE(conflicts.first().remote.key, QStringLiteral("changed"));
    QCOMPARE(*conflicts.first().local.record.value, QStringLiteral("mine"));
    // An edit made on the very copy that was pulled again is not a conflict: it is kept.
    const auto settled = merge.settledByThemselves();
    QCOMPARE(settled.size(), 1);
    QCOMPARE(settled.value(QStringLiteral("onTop")).choice, ConflictResolution::Choice::KeepMine);
}

void TestPullMerge::policiesSettleConflicts()
{
    const PullMerge merge(QStringLiteral("d"),
                          {remote(QStringLiteral("older"), QStringLiteral("r"), 5, 1000),
                           remote(QStringLiteral("newer"), QStringLiteral("r"), 5, 1000)},
                          {edit(QStringLiteral("older"), QStringLiteral("mine"), 2, 1, 500),
                           edit(QStringLiteral("newer"), QStringLiteral("mine"), 2, 1, 2000)});
    QVERIFY(merge.byPolicy(ConflictPolicy::Report).isEmpty());
    QVERIFY(merge.byPolicy(ConflictPolicy::Ask).isEmpty());
    for (const auto &resolution : merge.byPolicy(ConflictPolicy::KeepMine))
        QCOMPARE(resolution.choice, ConflictResolution::Choice::KeepMine);
    for (const auto &resolution : merge.byPolicy(ConflictPolicy::KeepTheirs))
        QCOMPARE(resolution.choice, ConflictResolution::Choice::KeepTheirs);
    const auto newest = merge.byPolicy(ConflictPolicy::NewestWins);
    QCOMPARE(newest.value(QStringLiteral("older")).choice, ConflictResolution::Choice::KeepTheirs);
    QCOMPARE(newest.value(QStringLiteral("newer")).choice, ConflictResolution::Choice::KeepMine);
}

// Every device writes the identity card's last_sign_in at its sign-in: two devices signing in a second
// apart must not leave the user (or `fedsync-cli sync`, exit 4) with a conflict on Fedsync's own record.
void TestPullMerge::identityCardNeverConflicts()
{
    const QString card = QStringLiteral("fedsync.identity");
    const PullMerge merge(card,
                          {remote(QStringLiteral("last_sign_in"), QStringLiteral("later"), 5, 2000),
                           remote(QStringLiteral("app_version"), QStringLiteral("1.0"), 5, 1000)},
                          {edit(QStringLiteral("last_sign_in"), QStringLiteral("earlier"), 2, 1, 1000),
                           edit(QStringLiteral("app_version"), QStringLiteral("1.1"), 2, 1, 3000)});
    QVERIFY(merge.conflicts().isEmpty());
    const auto settled = merge.settledByThemselves();
    QCOMPARE(settled.value(QStringLiteral("last_sign_in")).choice, ConflictResolution::Choice::KeepTheirs);
    QCOMPARE(settled.value(QStringLiteral("app_version")).choice, ConflictResolution::Choice::KeepMine);
    const auto decisions = merge.decide(settled);
    QCOMPARE(decisions.size(), 2);
    QCOMPARE(decisions.at(0).action, Action::TakeRemote);
    QCOMPARE(decisions.at(1).action, Action::KeepMine);
    // The same edits in a user's dataset are conflicts.
    QCOMPARE(PullMerge(QStringLiteral("d"), {remote(QStringLiteral("k"), QStringLiteral("r"), 5)},
                       {edit(QStringLiteral("k"), QStringLiteral("mine"), 2, 1, 500)})
                 .conflicts()
                 .size(),
             1);
}

void TestPullMerge::decidesEveryPulledRecord()
{
    const PullMerge merge(QStringLiteral("d"),
                          {remote(QStringLiteral("clean"), QStringLiteral("r"), 5),
                           remote(QStringLiteral("same"), QStringLiteral("v"), 5),
                           remote(QStringLiteral("left"), QStringLiteral("r"), 5),
                           remote(QStringLiteral("mine"), QStringLiteral("r"), 5),
                           remote(QStringLiteral("merged"), QStringLiteral("r"), 5)},
                          {edit(QStringLiteral("same"), QStringLiteral("v"), 2, 7, 500),
                           edit(QStringLiteral("left"), QStringLiteral("x"), 2, 8, 500),
                           edit(QStringLiteral("mine"), QStringLiteral("x"), 2, 9, 500),
                           edit(QStringLiteral("merged"), QStringLiteral("x"), 2, 10, 500)});
    QHash<QString, ConflictResolution> resolutions;
    resolutions.insert(QStringLiteral("mine"), ConflictResolution::keepMine(QStringLiteral("mine")));
    resolutions.insert(QStringLiteral("merged"),
                       ConflictResolution::merged(QStringLiteral("merged"), QStringLiteral("both")));
    const auto decisions = merge.decide(resolutions);
    QCOMPARE(decisions.size(), 5);
    QCOMPARE(decisions.at(0).action, Action::TakeRemote);
    QVERIFY(!decisions.at(0).localRevision);              // no unpushed edit
    QCOMPARE(decisions.at(1).action, Action::TakeRemote); // same value: the edit is now on the server
    QCOMPARE(decisions.at(1).localRevision, std::optional<qint64>(7));
    QCOMPARE(decisions.at(2).action, Action::Leave); // a conflict nobody settled
    QCOMPARE(decisions.at(3).action, Action::KeepMine);
    QCOMPARE(decisions.at(4).action, Action::Merge);
    QCOMPARE(*decisions.at(4).mergedValue, QStringLiteral("both"));
    QCOMPARE(decisions.at(4).localRevision, std::optional<qint64>(10));
}

FEDSYNC_TEST_MAIN(TestPullMerge)
#include "tst_pullmerge.moc"
