// The sync scenarios every store must pass alike, against the real sandbox: one user signed in with
// fedsync-cli and restored in this process (SignedInUser), and two devices of that user, "a" and "b"
// (UserDatasets with stores of their own, quick retries). Both edit, sync and converge; both edit one
// record and each conflict policy settles it. tst_sync_sandbox (Cognito Sync) and tst_dynamodb_sandbox
// (the DynamoDB table) derive from it, add the checks of their store through the hooks below, and their
// own cases; these cases run first.
#pragma once

#include "sandbox.h"
#include "signedinuser.h"

#include <QObject>
#include <QTemporaryDir>

#include <memory>

namespace fedsync {
class ProfileContext;
class UserDatasets;
} // namespace fedsync

namespace fedsync::test {

class TwoDeviceSyncTest : public QObject
{
    Q_OBJECT
public:
    TwoDeviceSyncTest();
    ~TwoDeviceSyncTest() override;

protected:
    // From initTestCase, once the sandbox runs: signs user 0 in for `profileFile` and opens devices a
    // and b (check QTest::currentTestFailed() afterwards).
    void signInAndOpenDevices(const QString &profileFile);
    std::unique_ptr<UserDatasets> openDevice(const QString &name);

    // twoClientsConverge's checks of the store: of a's first push (requests since `since`), and of
    // `dataset` once both devices hold the same three records.
    virtual void checkFirstPush(qint64 since) { Q_UNUSED(since) }
    virtual void checkConverged(const QString &dataset) { Q_UNUSED(dataset) }

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    SignedInUser m_user;
    ProfileContext *m_context = nullptr;
    std::unique_ptr<UserDatasets> m_a;
    std::unique_ptr<UserDatasets> m_b;

private Q_SLOTS:
    void cleanupTestCase();
    void twoClientsConverge();
    void conflictPolicies_data();
    void conflictPolicies();
};

} // namespace fedsync::test
