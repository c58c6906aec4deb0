#include "session/signout.h"

#include "auth/auth0client.h"
#include "auth/httpcachefile.h"
#include "aws/settingsidentityidcache.h"
#include "log/logcategories.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"
#include "session/userdatasets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace fedsync {

SignOut::SignOut(ProfileContext &context, Options options, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_options(std::move(options))
{}

QStringList SignOut::localDataFiles(ProfileContext &context, const QString &dataDirectory)
{
    const QString sub = context.session()->claims().sub.isEmpty() ? context.session()->lastUserSubject()
                                                                  : context.session()->claims().sub;
    const QString pool = context.profile().cognito.identityPoolId;
    if (sub.isEmpty() || pool.isEmpty())
        return {};
    QSettings settings;
    const QString identityId = aws::SettingsIdentityIdCache(&settings).load(pool, sub);
    if (identityId.isEmpty())
        return {};
    const QString database = UserDatasets::databasePath(
        dataDirectory.isEmpty() ? UserDatasets::defaultDataDirectory() : dataDirectory,
        UserDatasets::profileDirectoryName(context.profile()), identityId);
    return QStringList{database, QString(database + u"-wal"), QString(database + u"-shm")};
}

void SignOut::start()
{
    SignInState *session = m_context.session();
    m_subject = session->claims().sub.isEmpty() ? session->lastUserSubject() : session->claims().sub;
    // Found before the sign-out forgets who the user was.
    if (m_options.forgetData)
        m_dataFiles = localDataFiles(m_context, m_options.dataDirectory);
    session->refreshTokenForRevocation([this](const QString &refreshToken) { revoke(refreshToken); });
}

void SignOut::revoke(const QString &refreshToken)
{
    m_outcome.hadRefreshToken = !refreshToken.isEmpty();
    // Local sign-out first: whatever the network does, the tokens are gone from this computer.
    m_outcome.logoutUrl = m_context.session()->signOut(m_options.federated, [this, refreshToken] {
        if (refreshToken.isEmpty()) {
            finishLocally();
            return;
        }
        m_context.auth0()->revokeRefreshToken(refreshToken, this, [this](const UserError &error) {
            m_outcome.revoked = !error.isError();
            m_outcome.revokeProblem = error;
            if (error.isError())
                qCWarning(lcSession) << "The refresh token could not be revoked:" << error.code;
            finishLocally();
        });
    });
    Q_EMIT signedOutLocally(m_outcome.logoutUrl);
}

void SignOut::finishLocally()
{
    if (m_options.forgetData) {
        for (const QString &file : std::as_const(m_dataFiles)) {
            if (!QFileInfo::exists(file))
                continue;
            if (QFile::remove(file))
                m_outcome.removedFiles << file;
            else
                m_outcome.dataProblem = UserError::make(
                    QStringLiteral("signout.data"), tr("Some of your local data could not be deleted"),
                    QDir::toNativeSeparators(file), tr("Delete that file yourself"));
        }
        if (!m_dataFiles.isEmpty())
            QDir().rmdir(QFileInfo(m_dataFiles.first()).absolutePath()); // only when empty
        // The kept pictures (the account view's): all of them, as which one is this user's is not known
        // when the session is not in memory; another user's is fetched again.
        QDir pictures(HttpCacheFile::picturesDirectory());
        for (const QString &name : pictures.entryList(QDir::Files)) {
            if (pictures.remove(name))
                m_outcome.removedFiles << pictures.filePath(name);
        }
        const QString pool = m_context.profile().cognito.identityPoolId;
        if (!m_subject.isEmpty() && !pool.isEmpty()) {
            QSettings settings;
            aws::SettingsIdentityIdCache(&settings).forget(pool, m_subject);
        }
    }
    Q_EMIT finished(m_outcome);
}

} // namespace fedsync
