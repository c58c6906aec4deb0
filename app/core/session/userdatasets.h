// Opens a signed-in user's datasets the one way the GUI and the CLI share: the local store of the profile
// + Cognito identity (one SQLite file under AppDataLocation/datasets/<profile-id>/<identity-id>.sqlite),
// a CognitoSyncRemote or DynamoDbRemote (the profile's store) over the profile's AWS client, and a SyncEngine
// with this installation's device id.
//
// Use:
//   UserDatasets::openSignedIn(context, this, [](std::unique_ptr<UserDatasets> s, const UserError &e) {
//       ... s->store().putValue(...); s->engine().synchronize("notes"); ...
//   });
// or, offline (local edits, no network): UserDatasets::openLastIdentity(context, &error).
//
// The ProfileContext (its AwsAccess and AWS client) must outlive the UserDatasets.
#pragma once

#include "common/usererror.h"

#include <QString>

#include <functional>
#include <memory>

class QObject;
class QSettings;

namespace fedsync {

class LocalStore;
struct Profile;
class SyncRemote;
namespace aws {
class DynamoDbClient;
}
class ProfileContext;
class SyncEngine;

class UserDatasets final
{
public:
    struct Options
    {
        QString dataDirectory; // where the databases live; empty: defaultDataDirectory()
        QString deviceId;      // sent with UpdateRecords; empty: installationDeviceId()
    };
    using OpenCallback = std::function<void(std::unique_ptr<UserDatasets> session, const UserError &error)>;

    ~UserDatasets();
    UserDatasets(const UserDatasets &) = delete;
    UserDatasets &operator=(const UserDatasets &) = delete;

    // For the signed-in user: gets AWS credentials (network, unless fresh ones are held) to learn the
    // Cognito identity, then opens. Calls `done` once, later, unless `receiver` is destroyed first.
    static void openSignedIn(ProfileContext &context, QObject *receiver, OpenCallback done,
                             const Options &options = {});
    // Offline: the identity this device last got for the profile's last signed-in user (from the
    // settings). Fails with "sync.identity.unknown" when there is none yet (then use openSignedIn) and
    // "session.none" after a sign-out.
    static std::unique_ptr<UserDatasets> openLastIdentity(ProfileContext &context, UserError *error,
                                                            const Options &options = {});
    // For a known identity id. Null + error when the profile has no Cognito side or the store fails.
    static std::unique_ptr<UserDatasets> open(ProfileContext &context, const QString &identityId,
                                                UserError *error, const Options &options = {});

    LocalStore &store() const { return *m_store; }
    // Cognito Sync's or the DynamoDB table's, as the profile says.
    SyncRemote &remote() const { return *m_remote; }
    SyncEngine &engine() const { return *m_engine; }
    QString identityId() const { return m_identityId; }
    QString deviceId() const { return m_deviceId; }
    QString databasePath() const;

    // <dataDirectory>/<profile-id>/<identity id with ':' and other unsafe characters as '_'>.sqlite
    // (the DynamoDB store: <identity id>-dynamodb.sqlite)
    static QString databasePath(const QString &dataDirectory, const QString &profileId,
                                const QString &identityId);
    // The folder name of a profile's databases under the data directory.
    static QString profileDirectoryName(const Profile &profile);
    // QStandardPaths::AppDataLocation + "/datasets".
    static QString defaultDataDirectory();
    // This installation's device id (a UUID created on first use, kept under "sync/deviceId").
    static QString installationDeviceId(QSettings &settings);

private:
    UserDatasets() = default;

    QString m_identityId;
    QString m_deviceId;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<aws::DynamoDbClient> m_dynamoDb;
    std::unique_ptr<SyncRemote> m_remote;
    std::unique_ptr<SyncEngine> m_engine; // last: uses the two above
};

} // namespace fedsync
