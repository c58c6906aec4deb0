#include "session/userdatasets.h"

#include "aws/awsclient.h"
#include "common/deliverlater.h"
#include "platform/owneronly.h"

#include "aws/awscredentials.h"
#include "aws/cognitocredentialsprovider.h"
#include "aws/dynamodbclient.h"
#include "aws/settingsidentityidcache.h"
#include "config/profile.h"
#include "session/signinstate.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "buildinfo.h"
#include "log/logcategories.h"
#include "oidc/idtokenvalidator.h"
#include "sync/cognitosyncremote.h"
#include "sync/dynamodbremote.h"
#include "sync/identitycard.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

namespace fedsync {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("UserDatasets", text);
}

QString fileSafe(QString text)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    text.replace(unsafe, QStringLiteral("_"));
    return text.isEmpty() ? QStringLiteral("_") : text;
}

UserError noCognito(const ProfileContext &context)
{
    return context.cognitoProblem().isError()
               ? context.cognitoProblem()
               : UserError::make(QStringLiteral("cognito.not_configured"),
                                 tr("This profile has no Amazon Cognito side"), {},
                                 tr("Fill in the Cognito part of the profile to synchronize datasets"));
}

} // namespace

UserDatasets::~UserDatasets() = default;

QString UserDatasets::databasePath() const
{
    return m_store->path();
}

QString UserDatasets::databasePath(const QString &dataDirectory, const QString &profileId,
                                     const QString &identityId)
{
    return QDir(dataDirectory)
        .filePath(fileSafe(profileId) + QLatin1Char('/') + fileSafe(identityId) + QStringLiteral(".sqlite"));
}

QString UserDatasets::profileDirectoryName(const Profile &profile)
{
    if (!profile.id.isEmpty())
        return fileSafe(profile.id);
    const QString slug = Profile::slugFor(profile.name);
    return slug.isEmpty() ? QStringLiteral("default") : fileSafe(slug);
}

QString UserDatasets::defaultDataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/datasets");
}

QString UserDatasets::installationDeviceId(QSettings &settings)
{
    const QString key = QStringLiteral("sync/deviceId");
    QString id = settings.value(key).toString();
    if (id.isEmpty()) {
        id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        settings.setValue(key, id);
        settings.sync();
    }
    return id;
}

std::unique_ptr<UserDatasets> UserDatasets::open(ProfileContext &context, const QString &identityId,
                                                     UserError *error, const Options &options)
{
    AwsAccess *cognito = context.cognito();
    if (!cognito) {
        *error = noCognito(context);
        return nullptr;
    }
    if (identityId.isEmpty()) {
        *error = UserError::make(QStringLiteral("sync.identity.unknown"),
                                 tr("Fedsync does not know your Amazon Cognito identity yet"));
        return nullptr;
    }
    const QString directory =
        options.dataDirectory.isEmpty() ? defaultDataDirectory() : options.dataDirectory;
    // Counters differ between the stores: a DynamoDB profile's datasets get a database of their own, so a
    // profile switched from Cognito Sync starts from the migrated copy instead of Cognito's counts.
    const bool dynamoDb = cognito->dynamoDbClient() != nullptr;
    const QString path = databasePath(directory, profileDirectoryName(context.profile()),
                                      dynamoDb ? identityId + QStringLiteral("-dynamodb") : identityId);
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = UserError::make(QStringLiteral("sync.store.directory"),
                                 tr("Could not create the folder for your datasets"),
                                 QFileInfo(path).absolutePath(), tr("Check the permissions of that folder"));
        return nullptr;
    }
    restrictChainToOwner(QFileInfo(path).absolutePath(), directory);
    std::unique_ptr<UserDatasets> session(new UserDatasets);
    session->m_identityId = identityId;
    if (options.deviceId.isEmpty()) {
        QSettings settings;
        session->m_deviceId = installationDeviceId(settings);
    } else {
        session->m_deviceId = options.deviceId;
    }
    session->m_store = std::make_unique<LocalStore>(path);
    if (const UserError opened = session->m_store->open(); opened.isError()) {
        *error = opened;
        return nullptr;
    }
    if (dynamoDb) {
        session->m_dynamoDb = std::make_unique<aws::DynamoDbClient>(*cognito->dynamoDbClient(),
                                                                    context.profile().cognito.dynamoDbTable);
        session->m_remote = std::make_unique<DynamoDbRemote>(*session->m_dynamoDb, identityId);
    } else {
        session->m_remote = std::make_unique<CognitoSyncRemote>(
            *cognito->awsClient(), context.profile().cognito.identityPoolId, identityId);
    }
    session->m_engine =
        std::make_unique<SyncEngine>(*session->m_store, *session->m_remote, session->m_deviceId);
    // One retry budget for the sync and the AWS calls it makes.
    SyncRetryPolicy retry = session->m_engine->retryPolicy();
    retry.quota = cognito->awsClient()->retryQuota();
    session->m_engine->setRetryPolicy(retry);
    *error = {};
    return session;
}

std::unique_ptr<UserDatasets> UserDatasets::openLastIdentity(ProfileContext &context, UserError *error,
                                                                 const Options &options)
{
    if (!context.cognito()) {
        *error = noCognito(context);
        return nullptr;
    }
    const QString sub = context.session()->lastUserSubject();
    if (sub.isEmpty()) {
        *error = UserError::make(QStringLiteral("session.none"), tr("Nobody is signed in"), {},
                                 tr("Sign in first"));
        return nullptr;
    }
    QSettings settings;
    const QString identityId =
        aws::SettingsIdentityIdCache(&settings).load(context.profile().cognito.identityPoolId, sub);
    if (identityId.isEmpty()) {
        *error = UserError::make(QStringLiteral("sync.identity.unknown"),
                                 tr("This device does not know your Amazon Cognito identity yet"),
                                 tr("It is learnt the first time AWS credentials are fetched"),
                                 tr("Synchronize once while online"));
        return nullptr;
    }
    return open(context, identityId, error, options);
}

// The signed-in user's identity card, for support staff (see IdentityCard); the next sync sends it.
static void recordIdentityCard(ProfileContext &context, LocalStore &store)
{
    if (!context.profile().identityCard || !context.session()->isSignedIn())
        return;
    UserError error;
    const IdentityCard card = IdentityCard::fromClaims(context.session()->claims(),
                                                       QString::fromLatin1(buildinfo::version));
    if (IdentityCard::record(store, card, &error))
        qCInfo(lcSession) << "identity card recorded for the next sync";
    else if (error.isError())
        qCInfo(lcSession) << "no identity card:" << error.code;
}

void UserDatasets::openSignedIn(ProfileContext &context, QObject *receiver, OpenCallback done,
                                  const Options &options)
{
    QPointer<QObject> guard(receiver);
    auto deliver = [guard, done](std::unique_ptr<UserDatasets> session, const UserError &error) {
        // Always later: the credentials may be at hand already.
        auto shared = std::make_shared<std::unique_ptr<UserDatasets>>(std::move(session));
        deliverLater(guard.data(), [done, shared, error] { done(std::move(*shared), error); });
    };
    if (!receiver)
        return;
    if (!context.cognito()) {
        deliver(nullptr, noCognito(context));
        return;
    }
    QPointer<ProfileContext> contextGuard(&context);
    context.cognito()->credentials()->requestCredentials(
        [contextGuard, deliver, options](const aws::AwsCredentials &credentials, const UserError &error) {
            if (!contextGuard)
                return;
            if (error.isError()) {
                deliver(nullptr, error);
                return;
            }
            UserError openError;
            std::unique_ptr<UserDatasets> session =
                open(*contextGuard, credentials.identityId, &openError, options);
            if (session)
                recordIdentityCard(*contextGuard, session->store());
            deliver(std::move(session), openError);
        });
}

} // namespace fedsync
