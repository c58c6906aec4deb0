// A sandbox user signed in for tests and benchmarks that drive the core in-process: the real
// `fedsync-cli login` (scripted browser), then the stored session restored here from the same keychain
// with the same settings as fedsync-cli (the last user, the identity id). On it, "devices": the user's
// datasets (UserDatasets) opened with a data directory and a device id of their own, as on two
// computers. Also a sync run to its end, and the local records as the tests compare them.
#pragma once

#include "common/usererror.h"
#include "sync/syncengine.h"

#include <QList>
#include <QMap>
#include <QString>

#include <memory>

namespace fedsync {
class KeychainSecretStore;
class ProfileContext;
class UserDatasets;
} // namespace fedsync

namespace fedsync::test {

class Sandbox;

class SignedInUser
{
public:
    SignedInUser();
    ~SignedInUser();

    // Signs sandbox user `user` in with fedsync-cli for `profileFile` and restores the session in this
    // process (SignInState::restore(useCachedIdToken)). Empty when it worked, else what failed.
    QString signIn(const Sandbox &sandbox, int user, const QString &profileFile,
                   bool useCachedIdToken = false);
    // Only the context of `profileFile` on the keychain and settings fedsync-cli uses, not signed in
    // here (for a user signed in by fedsync-cli whose session this process does not restore). Empty when
    // it worked, else what failed.
    QString createContext(const QString &profileFile);
    ProfileContext &context() { return *m_context; }
    // Opens the user's datasets as device `deviceId`, its store under `dataDirectory`; null (the reason
    // warned) when that fails.
    std::unique_ptr<UserDatasets> openDevice(const QString &dataDirectory, const QString &deviceId);
    // Drops the context (before the sandbox stops; devices first).
    void reset();

private:
    std::unique_ptr<KeychainSecretStore> m_secrets;
    std::unique_ptr<ProfileContext> m_context;
};

// Retries that wait 20 to 100 ms instead of seconds: for tests that make the service fail.
SyncRetryPolicy quickSyncRetries();

// How one sync ended: the report, or the error; and the conflicts it reported.
struct SyncOutcome
{
    bool ok = false;
    SyncReport report;
    UserError error;
    QList<SyncConflict> conflicts;
};

// Runs `client`'s engine on `dataset` to its end; after `timeoutMs` the sync is cancelled and the
// outcome is the error "test.timeout".
SyncOutcome runSync(UserDatasets &client, const QString &dataset,
                    ConflictPolicy policy = ConflictPolicy::Report, int timeoutMs = 60000);

// A record's value in `client`'s store: "<none>" when there is no record, "<removed>" for a removal.
QString recordValue(UserDatasets &client, const QString &dataset, const QString &key);
// The records of `dataset` in `client`'s store that are not removals, key -> value.
QMap<QString, QString> liveRecords(UserDatasets &client, const QString &dataset);

} // namespace fedsync::test
