#include "session/authsession.h"

#include "auth/auth0client.h"
#include "log/logcategories.h"
#include "log/redact.h"
#include "secrets/secretstore.h"
#include "session/idtokenverifier.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>

namespace fedsync {
namespace {
QByteArray encodeStored(const QString &refreshToken)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("v"), 1}, {QStringLiteral("refresh_token"), refreshToken}})
        .toJson(QJsonDocument::Compact);
}

QString decodeStored(const QByteArray &stored)
{
    return QJsonDocument::fromJson(stored).object().value(QStringLiteral("refresh_token")).toString();
}
} // namespace

AuthSession::AuthSession(Profile profile, Auth0Client *client, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_client(client)
    , m_secrets(secrets)
    , m_verifier(new IdTokenVerifier(client, this))
{
}

AuthSession::~AuthSession()
{
    m_tokens.wipe();
}

QString AuthSession::lastUserKey() const
{
    return QStringLiteral("sessions/%1/lastUser").arg(m_profile.id);
}

QString AuthSession::lastUserSubject() const
{
    return QSettings().value(lastUserKey()).toString();
}

QString AuthSession::secretKey(const QString &sub) const
{
    return SecretStore::keyFor(m_profile.id, sub, u"tokens");
}

IdTokenValidator::ValidationContext AuthSession::validationContext() const
{
    IdTokenValidator::ValidationContext context;
    context.issuer = m_client->issuer();
    context.clientId = m_client->clientId();
    if (!m_profile.auth0.organization.isEmpty())
        context.organization = m_profile.auth0.organization;
    return context;
}

void AuthSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void AuthSession::restore()
{
    const QString sub = QSettings().value(lastUserKey()).toString();
    if (sub.isEmpty()) {
        Q_EMIT restoreFailed(UserError::make(QStringLiteral("session.none"), tr("Nobody is signed in yet")));
        return;
    }
    setState(State::Restoring);
    m_secrets->read(secretKey(sub), this, [this](const SecretResult &result) {
        if (result.status == SecretResult::Status::NotFound || (result.ok() && decodeStored(result.value).isEmpty())) {
            setState(State::SignedOut);
            Q_EMIT restoreFailed(UserError::make(QStringLiteral("session.none"), tr("Nobody is signed in yet")));
            return;
        }
        if (!result.ok()) {
            setState(State::SignedOut);
            Q_EMIT restoreFailed(result.error);
            return;
        }
        QByteArray stored = result.value;
        const QString refreshToken = decodeStored(stored);
        wipeSecret(stored);
        m_persisted = true;
        refreshWith(refreshToken, [this](const UserError &error) {
            if (error.isError()) {
                setState(State::SignedOut);
                Q_EMIT restoreFailed(error);
                return;
            }
            setState(State::SignedIn);
            Q_EMIT signedIn();
        });
    });
}

void AuthSession::refreshWith(const QString &refreshToken, std::function<void(const UserError &)> done)
{
    m_client->refresh(refreshToken, m_profile.auth0.scope, this, [this, refreshToken, done](TokenResponse tokens,
                                                                                       const UserError &error) {
        if (error.isError()) {
            if (error.code == QStringLiteral("oidc.token.invalid_grant")) {
                // Revoked or expired: the stored token is useless, drop it.
                const QString sub = QSettings().value(lastUserKey()).toString();
                if (!sub.isEmpty())
                    m_secrets->remove(secretKey(sub), this, [](const SecretResult &) {});
            }
            done(error);
            return;
        }
        if (tokens.refreshToken.isEmpty())
            tokens.refreshToken = refreshToken; // not rotated: keep using the one we have
        auto verifyAndAdopt = [this, tokens, done]() mutable {
            m_verifier->verify(tokens.idToken, validationContext(),
                               [this, tokens, done](const IdTokenValidator::Result &result) mutable {
                                   if (!result.isValid()) {
                                       tokens.wipe();
                                       done(result.error);
                                       return;
                                   }
                                   m_tokens.wipe();
                                   m_tokens = tokens;
                                   m_claims = *result.claims;
                                   Q_EMIT tokensRefreshed();
                                   done({});
                               });
        };
        if (tokens.refreshToken != refreshToken) {
            // Rotation: the old token is now spent, so the new one is stored before anything else.
            storeRefreshToken(tokens.refreshToken, verifyAndAdopt);
        } else {
            verifyAndAdopt();
        }
    });
}

void AuthSession::storeRefreshToken(const QString &refreshToken, std::function<void()> then)
{
    const QString sub = m_claims.sub.isEmpty() ? QSettings().value(lastUserKey()).toString() : m_claims.sub;
    if (refreshToken.isEmpty() || sub.isEmpty()) {
        then();
        return;
    }
    QByteArray blob = encodeStored(refreshToken);
    m_secrets->write(secretKey(sub), blob, this, [this, then](const SecretResult &result) {
        m_persisted = result.ok();
        if (!result.ok()) {
            qCWarning(lcSession) << "Tokens kept for this session only:" << result.error.code;
            Q_EMIT storageProblem(result.error);
        }
        then();
    });
    wipeSecret(blob);
}

void AuthSession::adopt(TokenResponse tokens, const IdTokenClaims &claims)
{
    m_tokens.wipe();
    m_tokens = std::move(tokens);
    m_claims = claims;
    QSettings().setValue(lastUserKey(), claims.sub);
    qCInfo(lcSession) << "Signed in as" << claims.sub << "id token" << redact(m_tokens.idToken);
    storeRefreshToken(m_tokens.refreshToken, [this] {
        setState(State::SignedIn);
        Q_EMIT signedIn();
    });
}

void AuthSession::freshIdToken(std::function<void(const QString &, const UserError &)> done, int minValiditySeconds)
{
    if (!isSignedIn()) {
        done({}, UserError::make(QStringLiteral("session.signed_out"), tr("You are not signed in"), {},
                                 tr("Sign in first")));
        return;
    }
    if (m_claims.exp.isValid() && QDateTime::currentDateTimeUtc().secsTo(m_claims.exp) > minValiditySeconds) {
        done(m_tokens.idToken, {});
        return;
    }
    if (m_tokens.refreshToken.isEmpty()) {
        done({}, UserError::make(QStringLiteral("session.expired"), tr("Your sign-in has expired"),
                                 tr("No refresh token was issued (the profile's scopes lack offline_access)"),
                                 tr("Sign in again")));
        return;
    }
    m_refreshWaiters.append(std::move(done));
    if (m_refreshWaiters.size() > 1)
        return; // one refresh serves every caller
    refreshWith(m_tokens.refreshToken, [this](const UserError &error) {
        const auto waiters = std::exchange(m_refreshWaiters, {});
        for (const auto &waiter : waiters)
            waiter(error.isError() ? QString() : m_tokens.idToken, error);
    });
}

void AuthSession::refreshTokenForRevocation(std::function<void(QString)> done)
{
    const QString sub = m_claims.sub.isEmpty() ? QSettings().value(lastUserKey()).toString() : m_claims.sub;
    if (!m_tokens.refreshToken.isEmpty() || sub.isEmpty()) {
        done(m_tokens.refreshToken);
        return;
    }
    m_secrets->read(secretKey(sub), this, [done](const SecretResult &result) {
        QByteArray stored = result.ok() ? result.value : QByteArray();
        const QString token = decodeStored(stored);
        wipeSecret(stored);
        done(token);
    });
}

QUrl AuthSession::signOut(bool federated, std::function<void()> removed)
{
    const QString sub = m_claims.sub.isEmpty() ? QSettings().value(lastUserKey()).toString() : m_claims.sub;
    if (!sub.isEmpty()) {
        m_secrets->remove(secretKey(sub), this, [removed](const SecretResult &result) {
            if (!result.ok() && result.status != SecretResult::Status::NotFound)
                qCWarning(lcSession) << "Could not remove the stored tokens:" << result.error.code;
            if (removed)
                removed();
        });
    } else if (removed) {
        QMetaObject::invokeMethod(this, removed, Qt::QueuedConnection);
    }
    QSettings().remove(lastUserKey());
    m_tokens.wipe();
    m_tokens = {};
    m_claims = {};
    m_persisted = false;
    setState(State::SignedOut);
    Q_EMIT signedOut();
    return m_client->logoutUrl(m_profile.auth0.logoutReturnTo, federated);
}

} // namespace fedsync
