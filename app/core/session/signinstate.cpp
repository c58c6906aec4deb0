#include "session/signinstate.h"
#include "common/errorcodes.h"

#include "auth/auth0client.h"
#include "log/logcategories.h"
#include "log/redact.h"
#include "secrets/secretstore.h"
#include "session/idtokenverifier.h"
#include "session/rememberedsessions.h"
#include "session/sessionlock.h"

#include <QCoreApplication>
#include <QSettings>

#include <limits>
#include <memory>

namespace fedsync {
namespace {
UserError nobodySignedIn()
{
    return UserError::make(QStringLiteral("session.none"), SignInState::tr("Nobody is signed in yet"));
}
} // namespace

SignInState::SignInState(Profile profile, Auth0Client *client, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_client(client)
    , m_secrets(secrets)
    , m_verifier(new IdTokenVerifier(client, this))
    , m_credentialsTier(m_profile, secrets)
{}

SignInState::~SignInState()
{
    m_tokens.wipe();
    m_aws.wipe();
}

SessionBinding SignInState::bindingFor(const QString &sub) const
{
    return {m_client->issuer(), m_client->clientId(), sub};
}

QString SignInState::lastUserSubject() const
{
    return RememberedSessions(m_profile).lastUser().subject;
}

QString SignInState::secretKey(const QString &sub) const
{
    return SessionEntry::keyFor(m_profile, bindingFor(sub));
}

IdTokenValidator::ValidationContext SignInState::validationContext() const
{
    IdTokenValidator::ValidationContext context;
    context.issuer = m_client->issuer();
    context.clientId = m_client->clientId();
    if (!m_profile.auth0.organization.isEmpty())
        context.organization = m_profile.auth0.organization;
    return context;
}

void SignInState::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void SignInState::locked(const QString &key, std::function<void(std::function<void()>)> work, Done failed)
{
    m_lockQueue.append({key, std::move(work), std::move(failed)});
    if (!m_lockBusy)
        runNextLocked();
}

void SignInState::runNextLocked()
{
    if (m_lockQueue.isEmpty()) {
        m_lockBusy = false;
        const auto waiters = std::exchange(m_idleWaiters, {});
        for (const auto &waiter : waiters)
            waiter();
        return;
    }
    m_lockBusy = true;
    LockedWork item = m_lockQueue.takeFirst();
    if (!m_lock || m_lock->path() != SessionLock::pathFor(item.key)) {
        delete m_lock;
        m_lock = new SessionLock(item.key, this);
    }
    SessionLock *lock = m_lock;
    auto next = [this] {
        QMetaObject::invokeMethod(this, &SignInState::runNextLocked, Qt::QueuedConnection);
    };
    lock->acquire([lock, item, next](const UserError &error) {
        if (error.isError()) {
            item.failed(error);
            next();
            return;
        }
        auto released = std::make_shared<bool>(false);
        item.work([lock, released, next] {
            if (std::exchange(*released, true))
                return;
            lock->release();
            next();
        });
    });
}

void SignInState::whenIdle(std::function<void()> idle)
{
    if (!m_lockBusy && m_lockQueue.isEmpty()) {
        idle();
        return;
    }
    m_idleWaiters.append(std::move(idle));
}

void SignInState::restore(bool useCachedIdToken, int minValiditySeconds)
{
    if (!useCachedIdToken)
        minValiditySeconds = std::numeric_limits<int>::max(); // no cached token is that fresh
    const SessionBinding last = RememberedSessions(m_profile).lastUser();
    if (last.subject.isEmpty()) {
        Q_EMIT restoreFailed(nobodySignedIn());
        return;
    }
    const SessionBinding binding = bindingFor(last.subject);
    if ((!last.issuer.isEmpty() && last.issuer != binding.issuer) ||
        (!last.clientId.isEmpty() && last.clientId != binding.clientId)) {
        // The profile names another provider than the one that signed this user in: nothing is read.
        SessionEntry remembered;
        remembered.binding = last;
        qCWarning(lcSession) << "The remembered sign-in belongs to another provider; not used";
        Q_EMIT restoreFailed(remembered.checkBinding(binding));
        return;
    }
    setState(State::Restoring);
    auto finished = [this](const UserError &error) {
        if (error.isError()) {
            setState(State::SignedOut);
            Q_EMIT restoreFailed(error);
            return;
        }
        setState(State::SignedIn);
        Q_EMIT signedIn();
    };
    locked(
        SessionEntry::keyFor(m_profile, binding),
        [this, binding, minValiditySeconds, finished](std::function<void()> release) {
            loadAndUse(binding, minValiditySeconds, {}, release, finished);
        },
        finished);
}

void SignInState::loadAndUse(const SessionBinding &binding, int minValiditySeconds,
                             const QString &rejectedIdToken, std::function<void()> release, Done done)
{
    const QString key = SessionEntry::keyFor(m_profile, binding);
    m_secrets->read(key, this, [=, this](const SecretResult &result) {
        if (result.status == SecretResult::Status::NotFound) {
            if (m_state == State::SignedIn) {
                m_credentialsTier.drop(binding);
                release();
                done(UserError::make(QStringLiteral("session.gone"), tr("Your sign-in was removed"),
                                     tr("You signed out in another Fedsync window or command, or the sign-in "
                                        "provider revoked the sign-in"),
                                     tr("Sign in again")));
                return;
            }
            // A format-1 entry holds no binding: it is removed, never sent (one sign-in is needed).
            const QString legacyKey = SessionEntry::legacyKeyFor(m_profile.id, binding.subject);
            m_secrets->read(legacyKey, this, [=, this](const SecretResult &legacy) {
                if (!legacy.ok()) {
                    if (legacy.status == SecretResult::Status::NotFound)
                        RememberedSessions(m_profile).forgetLegacyUser();
                    release();
                    done(nobodySignedIn());
                    return;
                }
                qCInfo(lcSession)
                    << "Removing a sign-in saved by an earlier version (not bound to its provider)";
                m_secrets->remove(legacyKey, this, [=, this](const SecretResult &) {
                    RememberedSessions(m_profile).forgetLegacyUser();
                    release();
                    done(UserError::make(
                        QStringLiteral("session.migrated"), tr("Please sign in again, once"),
                        tr("Fedsync now keeps each sign-in bound to the provider that issued it. The sign-in "
                           "saved by an earlier version records no provider, so it was removed rather than "
                           "sent anywhere"),
                        tr("Sign in again")));
                });
            });
            return;
        }
        if (!result.ok()) {
            release();
            done(result.error);
            return;
        }
        QByteArray value = result.value;
        UserError error;
        std::optional<SessionEntry> entry = SessionEntry::decode(value, &error);
        wipeSecret(value);
        if (entry)
            error = entry->checkBinding(binding);
        if (error.isError()) {
            if (entry)
                entry->wipe();
            qCWarning(lcSession) << "Stored session not used:" << error.code;
            release();
            done(error);
            return;
        }
        m_persisted = true;
        useEntry(std::move(*entry), minValiditySeconds, rejectedIdToken, release, done);
    });
}

void SignInState::useEntry(SessionEntry entry, int minValiditySeconds, const QString &rejectedIdToken,
                           std::function<void()> release, Done done)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!entry.idToken.isEmpty() && entry.idToken != rejectedIdToken &&
        now.secsTo(entry.idTokenExpires) > minValiditySeconds) {
        const QString idToken = entry.idToken;
        const SessionBinding binding = entry.binding;
        verifyForBinding(idToken, binding, [=, this](const IdTokenValidator::Result &result) mutable {
            if (result.isValid()) {
                qCDebug(lcSession) << "Using the ID token cached in the keychain";
                takeOver(entry, {}, *result.claims);
                entry.wipe();
                release();
                done({});
                return;
            }
            qCInfo(lcSession) << "Cached ID token not usable:" << result.error.code << "- refreshing";
            refreshEntry(std::move(entry), release, done);
        });
        return;
    }
    refreshEntry(std::move(entry), release, done);
}

void SignInState::refreshEntry(SessionEntry entry, std::function<void()> release, Done done)
{
    if (entry.refreshToken.isEmpty()) {
        release();
        done(UserError::make(QStringLiteral("session.expired"), tr("Your sign-in has expired"),
                             tr("No refresh token was issued (the profile's scopes lack offline_access)"),
                             tr("Sign in again")));
        return;
    }
    const QString used = entry.refreshToken;
    const QString key = SessionEntry::keyFor(m_profile, entry.binding);
    m_client->refresh(
        used, m_profile.auth0.scope, this, [=, this](TokenResponse tokens, const UserError &error) mutable {
            if (error.isError()) {
                if (error.code == errorcode::OidcTokenInvalidGrant) {
                    // Read under the lock, so no other process rotated it since: revoked or expired. It is
                    // removed before anyone is told (a CLI exits right after).
                    qCInfo(lcSession) << "The provider refused the stored refresh token; removing it";
                    m_credentialsTier.drop(entry.binding);
                    entry.wipe();
                    m_secrets->remove(key, this, [release, done, error](const SecretResult &result) {
                        if (!result.ok() && result.status != SecretResult::Status::NotFound)
                            qCWarning(lcSession)
                                << "Could not remove the refused sign-in:" << result.error.code;
                        release();
                        done(error);
                    });
                    return;
                }
                entry.wipe();
                release();
                done(error);
                return;
            }
            if (tokens.refreshToken.isEmpty())
                tokens.refreshToken = used; // not rotated: keep using the one we have
            const QString idToken = tokens.idToken;
            const SessionBinding binding = entry.binding;
            // The new ID token is checked before its rotated refresh token replaces the stored one: a token
            // for another user or provider must not overwrite the session (OpenID Connect Core 12.2).
            verifyForBinding(idToken, binding, [=, this](const IdTokenValidator::Result &result) mutable {
                if (!result.isValid()) {
                    if (tokens.refreshToken != used)
                        qCWarning(lcSession)
                            << "Refreshed ID token refused:" << result.error.code
                            << "- the rotated refresh token is dropped, the stored session kept";
                    tokens.wipe();
                    entry.wipe();
                    release();
                    done(result.error);
                    return;
                }
                SessionEntry updated = entry;
                updated.refreshToken = tokens.refreshToken;
                updated.idToken = tokens.idToken;
                updated.idTokenExpires = result.claims->exp;
                const IdTokenClaims claims = *result.claims;
                const QString accessToken = tokens.accessToken;
                tokens.wipe();
                entry.wipe();
                writeEntry(updated, [=, this]() mutable {
                    takeOver(updated, accessToken, claims);
                    updated.wipe();
                    release();
                    done({});
                });
            });
        });
}

void SignInState::verifyForBinding(const QString &idToken, const SessionBinding &binding,
                                   std::function<void(const IdTokenValidator::Result &)> done)
{
    m_verifier->verify(idToken, validationContext(), [binding, done](const IdTokenValidator::Result &result) {
        if (result.isValid() && result.claims->sub != binding.subject) {
            IdTokenValidator::Result refused;
            refused.reason = IdTokenValidator::Reason::SubjectMissing;
            refused.error = UserError::make(QStringLiteral("session.subject_changed"),
                                            tr("The sign-in provider answered for another user"),
                                            tr("The renewed ID token names %1, the saved sign-in %2")
                                                .arg(result.claims->sub, binding.subject),
                                            tr("Sign in again"));
            done(refused);
            return;
        }
        done(result);
    });
}

void SignInState::writeEntry(const SessionEntry &entry, std::function<void()> then)
{
    QByteArray blob = entry.encode();
    m_secrets->write(
        SessionEntry::keyFor(m_profile, entry.binding), blob, this, [this, then](const SecretResult &result) {
            m_persisted = result.ok();
            if (!result.ok()) {
                qCWarning(lcSession) << "Tokens kept for this session only:" << result.error.code;
                Q_EMIT storageProblem(result.error);
            }
            then();
        });
    wipeSecret(blob);
}

QString SignInState::refreshTokenLength() const
{
    return m_tokens.refreshToken.isEmpty() ? QString() : redactLength(m_tokens.refreshToken);
}

void SignInState::takeOver(const SessionEntry &entry, const QString &accessToken, const IdTokenClaims &claims)
{
    m_tokens.wipe();
    m_tokens = {};
    m_tokens.idToken = entry.idToken;
    m_tokens.refreshToken = entry.refreshToken;
    m_tokens.accessToken = accessToken;
    m_claims = claims;
    m_binding = entry.binding;
    m_aws.wipe();
    m_aws = entry.aws;
    m_credentialsTier.store(entry.binding, entry.aws); // at hand for the next command (credential_process)
    Q_EMIT tokensRefreshed();
}

void SignInState::refreshInMemory(Done done)
{
    const QString used = m_tokens.refreshToken;
    const SessionBinding binding = m_binding;
    m_client->refresh(used, m_profile.auth0.scope, this,
                      [=, this](TokenResponse tokens, const UserError &error) {
                          if (error.isError()) {
                              done(error);
                              return;
                          }
                          if (tokens.refreshToken.isEmpty())
                              tokens.refreshToken = used;
                          verifyForBinding(tokens.idToken, binding,
                                           [=, this](const IdTokenValidator::Result &result) mutable {
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
                      });
}

void SignInState::adopt(TokenResponse tokens, const IdTokenClaims &claims)
{
    m_tokens.wipe();
    m_tokens = std::move(tokens);
    m_claims = claims;
    m_binding = bindingFor(claims.sub);
    m_aws.wipe();
    const QString key = SessionEntry::keyFor(m_profile, m_binding);
    RememberedSessions(m_profile).rememberSignIn(m_binding, key);
    qCInfo(lcSession) << "Signed in as" << claims.sub << "id token" << redact(m_tokens.idToken);
    auto signedInNow = [this] {
        setState(State::SignedIn);
        Q_EMIT signedIn();
    };
    if (m_tokens.refreshToken.isEmpty()) {
        signedInNow();
        return;
    }
    SessionEntry entry;
    entry.binding = m_binding;
    entry.refreshToken = m_tokens.refreshToken;
    entry.idToken = m_tokens.idToken;
    entry.idTokenExpires = claims.exp;
    locked(
        key,
        [this, entry, signedInNow](std::function<void()> release) mutable {
            writeEntry(entry, [release, signedInNow] {
                release();
                signedInNow();
            });
            entry.wipe();
        },
        [this, signedInNow](const UserError &error) {
            m_persisted = false;
            Q_EMIT storageProblem(error);
            signedInNow();
        });
}

void SignInState::freshIdToken(std::function<void(const QString &, const UserError &)> done,
                               int minValiditySeconds, bool force)
{
    if (!isSignedIn()) {
        done({}, UserError::make(QStringLiteral("session.signed_out"), tr("You are not signed in"), {},
                                 tr("Sign in first")));
        return;
    }
    // A provider may issue ID tokens that live less than the margin asked for: then half their lifetime.
    if (m_claims.iat.isValid() && m_claims.exp.isValid())
        minValiditySeconds = int(qMin<qint64>(minValiditySeconds, m_claims.iat.secsTo(m_claims.exp) / 2));
    if (!force && m_claims.exp.isValid() &&
        QDateTime::currentDateTimeUtc().secsTo(m_claims.exp) > minValiditySeconds) {
        done(m_tokens.idToken, {});
        return;
    }
    if (!m_persisted && m_tokens.refreshToken.isEmpty()) {
        done({}, UserError::make(QStringLiteral("session.expired"), tr("Your sign-in has expired"),
                                 tr("No refresh token was issued (the profile's scopes lack offline_access)"),
                                 tr("Sign in again")));
        return;
    }
    m_refreshWaiters.append(std::move(done));
    if (m_refreshWaiters.size() > 1)
        return; // one refresh serves every caller
    auto finish = [this](const UserError &error) {
        const auto waiters = std::exchange(m_refreshWaiters, {});
        for (const auto &waiter : waiters)
            waiter(error.isError() ? QString() : m_tokens.idToken, error);
    };
    if (!m_persisted) {
        refreshInMemory(finish);
        return;
    }
    const QString rejected = force ? m_tokens.idToken : QString();
    const SessionBinding binding = m_binding;
    locked(
        SessionEntry::keyFor(m_profile, binding),
        [this, binding, minValiditySeconds, rejected, finish](std::function<void()> release) {
            loadAndUse(binding, minValiditySeconds, rejected, release, finish);
        },
        finish);
}

void SignInState::refreshTokenForRevocation(std::function<void(QString)> done)
{
    if (!m_tokens.refreshToken.isEmpty()) {
        done(m_tokens.refreshToken);
        return;
    }
    SessionBinding binding = m_binding;
    if (!binding.isComplete()) {
        const QString sub = lastUserSubject();
        if (!sub.isEmpty())
            binding = bindingFor(sub);
    }
    if (!binding.isComplete()) {
        done({});
        return;
    }
    // Only a token issued by this profile's provider is ever sent to it, even for revocation.
    m_secrets->read(SessionEntry::keyFor(m_profile, binding), this,
                    [done, binding](const SecretResult &result) {
                        QByteArray value = result.ok() ? result.value : QByteArray();
                        UserError error;
                        std::optional<SessionEntry> entry =
                            result.ok() ? SessionEntry::decode(value, &error) : std::nullopt;
                        wipeSecret(value);
                        QString token;
                        if (entry && !entry->checkBinding(binding).isError())
                            token = entry->refreshToken;
                        if (entry)
                            entry->wipe();
                        done(token);
                    });
}

QUrl SignInState::signOut(bool federated, std::function<void()> removed)
{
    SessionBinding binding = m_binding;
    if (!binding.isComplete()) {
        const QString sub = lastUserSubject();
        if (!sub.isEmpty())
            binding = bindingFor(sub);
    }
    RememberedSessions(m_profile).forgetLastUser();
    if (binding.isComplete()) {
        m_credentialsTier.drop(binding); // at once, for every process: no command answers from it now
        const QString key = SessionEntry::keyFor(m_profile, binding);
        // A format-1 entry an earlier version left for this user goes too: signed out, no token of
        // theirs stays on this computer.
        const QString legacyKey = SessionEntry::legacyKeyFor(m_profile.id, binding.subject);
        auto remove = [this, key, legacyKey, binding, removed](std::function<void()> release) {
            m_secrets->remove(
                key, this, [this, legacyKey, binding, removed, release](const SecretResult &result) {
                    if (!result.ok() && result.status != SecretResult::Status::NotFound)
                        qCWarning(lcSession) << "Could not remove the stored tokens:" << result.error.code;
                    // Again under the lock, the entry gone: a process that stored its credentials between
                    // the first drop and this removal (it held the lock) leaves nothing behind.
                    m_credentialsTier.drop(binding);
                    m_secrets->remove(legacyKey, this, [removed, release](const SecretResult &legacy) {
                        if (!legacy.ok() && legacy.status != SecretResult::Status::NotFound)
                            qCWarning(lcSession)
                                << "Could not remove an earlier version's tokens:" << legacy.error.code;
                        release();
                        if (removed)
                            removed();
                    });
                });
        };
        locked(key, remove, [remove](const UserError &) { remove([] {}); });
    } else if (removed) {
        QMetaObject::invokeMethod(this, removed, Qt::QueuedConnection);
    }
    m_tokens.wipe();
    m_tokens = {};
    m_claims = {};
    m_binding = {};
    m_aws.wipe();
    m_persisted = false;
    setState(State::SignedOut);
    Q_EMIT signedOut();
    return m_client->logoutUrl(m_profile.auth0.logoutReturnTo, federated);
}

} // namespace fedsync
