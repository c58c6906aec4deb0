#include "signedinuser.h"

#include "clilogin.h"
#include "cognitojs.h"
#include "config/appidentity.h"
#include "sandbox.h"
#include "secrets/keychainsecretstore.h"
#include "session/profilecontext.h"
#include "session/userdatasets.h"
#include "sync/localstore.h"

#include <QDebug>
#include <QSignalSpy>
#include <QTest>

namespace fedsync::test {

SignedInUser::SignedInUser() = default;

SignedInUser::~SignedInUser() = default;

QString SignedInUser::signIn(const Sandbox &sandbox, int user, const QString &profileFile,
                             bool useCachedIdToken)
{
    const CliRun login = cliLogin(sandbox, user, profileFile);
    if (login.exitCode != 0)
        return QStringLiteral("fedsync-cli login: ") + login.err;
    const QString created = createContext(profileFile);
    if (!created.isEmpty())
        return created;
    const UserError restored = restoreSignIn(*m_context->session(), 30000, useCachedIdToken);
    return restored.isError() ? restored.text() : QString();
}

QString SignedInUser::createContext(const QString &profileFile)
{
    // The same settings as fedsync-cli (last user, identity id), and the same keychain.
    applyApplicationIdentity();
    m_secrets = std::make_unique<KeychainSecretStore>(KeychainSecretStore::defaultServiceName());
    UserError error;
    m_context = ProfileContext::create(Sandbox::loadProfile(profileFile), m_secrets.get(), &error);
    return m_context ? QString() : error.text();
}

std::unique_ptr<UserDatasets> SignedInUser::openDevice(const QString &dataDirectory, const QString &deviceId)
{
    UserDatasets::Options options;
    options.dataDirectory = dataDirectory;
    options.deviceId = deviceId;
    std::unique_ptr<UserDatasets> opened;
    UserError error;
    bool done = false;
    QObject receiver;
    UserDatasets::openSignedIn(
        *m_context, &receiver,
        [&](std::unique_ptr<UserDatasets> session, const UserError &failure) {
            opened = std::move(session);
            error = failure;
            done = true;
        },
        options);
    if (!QTest::qWaitFor([&] { return done; }, 30000) || !opened) {
        qWarning().noquote() << "could not open device" << deviceId << error.text();
        return nullptr;
    }
    return opened;
}

void SignedInUser::reset()
{
    m_context.reset();
}

SyncRetryPolicy quickSyncRetries()
{
    SyncRetryPolicy retry;
    retry.initialBackoffMs = 20;
    retry.maxBackoffMs = 100;
    return retry;
}

SyncOutcome runSync(UserDatasets &client, const QString &dataset, ConflictPolicy policy, int timeoutMs)
{
    SyncOutcome outcome;
    SyncEngine &engine = client.engine();
    QSignalSpy finished(&engine, &SyncEngine::finished);
    QSignalSpy failed(&engine, &SyncEngine::failed);
    QObject receiver;
    QObject::connect(&engine, &SyncEngine::conflictsFound, &receiver,
                     [&](const QString &, const QList<SyncConflict> &found) { outcome.conflicts += found; });
    engine.synchronize(dataset, policy);
    if (!QTest::qWaitFor([&] { return !finished.isEmpty() || !failed.isEmpty(); }, timeoutMs)) {
        outcome.error =
            UserError::make(QStringLiteral("test.timeout"), QStringLiteral("the sync did not end"));
        engine.cancel(dataset);
    } else if (!failed.isEmpty()) {
        outcome.error = failed.first().at(1).value<UserError>();
    } else {
        outcome.ok = true;
        outcome.report = finished.first().at(1).value<SyncReport>();
    }
    return outcome;
}

QString recordValue(UserDatasets &client, const QString &dataset, const QString &key)
{
    const auto record = client.store().record(dataset, key).value;
    if (!record)
        return QStringLiteral("<none>");
    return record->record.value ? *record->record.value : QStringLiteral("<removed>");
}

QMap<QString, QString> liveRecords(UserDatasets &client, const QString &dataset)
{
    QMap<QString, QString> out;
    for (const LocalRecord &record : client.store().records(dataset).value)
        if (!record.record.isRemoved())
            out.insert(record.record.key, *record.record.value);
    return out;
}

} // namespace fedsync::test
