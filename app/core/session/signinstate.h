// The signed-in state of one profile: the verified tokens in memory, the session entry in the OS
// keychain (SessionEntry: bound to issuer, client id and user, keyed by namespace, profile and that
// binding), silent sign-in at start-up, fresh ID tokens on demand (for Cognito), and sign-out. Every
// refresh and every change of the entry happens under the session's cross-process lock (SessionLock),
// after reading the entry again: another process may have rotated the refresh token already, and then
// its tokens are used. With no usable keychain, sign-in still works for this run and nothing is
// written elsewhere.
#pragma once

#include "auth/tokenresponse.h"
#include "common/usererror.h"
#include "config/profile.h"
#include "oidc/idtokenvalidator.h"
#include "session/sessioncredentialstier.h"
#include "session/sessionentry.h"

#include <QObject>

#include <functional>
#include <optional>

namespace fedsync {

class Auth0Client;
class IdTokenVerifier;
class SecretStore;
class SessionLock;
struct SecretResult;

class SignInState final : public QObject
{
    Q_OBJECT
public:
    enum class State { SignedOut, Restoring, SignedIn };
    Q_ENUM(State)

    SignInState(Profile profile, Auth0Client *client, SecretStore *secrets, QObject *parent = nullptr);
    ~SignInState() override;

    State state() const { return m_state; }
    bool isSignedIn() const { return m_state == State::SignedIn; }
    const Profile &profile() const { return m_profile; }
    const IdTokenClaims &claims() const { return m_claims; }
    const QString &idToken() const { return m_tokens.idToken; }
    const QString &accessToken() const { return m_tokens.accessToken; }
    bool hasRefreshToken() const { return !m_tokens.refreshToken.isEmpty(); }
    // The stored refresh token's length only ("…(43 chars)"), for diagnostics; empty when there is none.
    QString refreshTokenLength() const;
    // Whether the tokens are kept in the keychain (false: this run only, see storageProblem()).
    bool isPersisted() const { return m_persisted; }
    Auth0Client *client() const { return m_client; }
    IdTokenValidator::ValidationContext validationContext() const;

    // Silent sign-in with the session entry stored for this profile's last user: a refresh, or with
    // `useCachedIdToken` the ID token cached in the entry while it is valid for `minValiditySeconds`
    // (a CLI command makes no request then; the desktop app refreshes at start, which also tells it at
    // once when the provider revoked the sign-in). Ends in signedIn(), or restoreFailed()
    // with the reason (nothing stored, bound to another provider, refused, keychain unavailable,
    // offline...). A refresh token the provider refused is removed from the keychain before
    // restoreFailed().
    void restore(bool useCachedIdToken = false, int minValiditySeconds = 300);
    // Takes over the verified result of an interactive sign-in and stores the session entry.
    void adopt(TokenResponse tokens, const IdTokenClaims &claims);
    // A valid ID token for Cognito: the current one, or a refreshed one when it expires within
    // `minValiditySeconds`. `force`: a refreshed one whatever the expiry (Cognito refused the current
    // one, e.g. after the provider rotated its signing key); a newer one another process stored counts.
    void freshIdToken(std::function<void(const QString &idToken, const UserError &error)> done,
                      int minValiditySeconds = 300, bool force = false);
    // Forgets the tokens here and in the keychain. Returns Auth0's logout URL for the caller to open
    // (the browser session at Auth0 ends there); `federated` also signs out of the upstream identity
    // provider.
    // `removed` runs once the keychain entry is gone (a CLI waits for it before exiting).
    QUrl signOut(bool federated, std::function<void()> removed = {});
    // The refresh token to revoke at sign-out (before signOut() forgets it): the one in memory, else the
    // one stored for this profile's last user; empty when there is none. Called back at once when the
    // answer is in memory, later when the keychain is read.
    void refreshTokenForRevocation(std::function<void(QString refreshToken)> done);

    // AWS credentials cached in the session entry (for `pool` and `scope`), as read with the entry; empty
    // if none.
    CachedAwsCredentials cachedAwsCredentials(const QString &pool, const QString &scope) const;
    // Stores AWS credentials in the session entry (under the lock, read-modify-write); `done` runs once
    // the keychain answered.
    void storeAwsCredentials(const CachedAwsCredentials &credentials, std::function<void()> done = {});
    // The copy of those credentials the OS keeps at hand (SessionCredentialsTier) for this profile's
    // last user, read without the keychain, the lock or the network; empty if none (or no tier).
    CachedAwsCredentials credentialsAtHand(const QString &pool, const QString &scope) const;

    // Runs `idle` once no keychain work of this session is pending (at once when none is): a CLI calls
    // it before exiting, so a rotated token or cached credentials are not lost with the process.
    void whenIdle(std::function<void()> idle);

    // The `sub` of this profile's last signed-in user as remembered in the settings (empty after a sign-out);
    // known without the keychain or the network, for offline work on that user's local data.
    QString lastUserSubject() const;
    // The keychain key of this profile's session with user `sub` ("v2/<ns>/<profile>/<binding>/session").
    QString secretKey(const QString &sub) const;

Q_SIGNALS:
    void stateChanged(fedsync::SignInState::State state);
    void signedIn();
    void signedOut();
    void restoreFailed(const fedsync::UserError &reason);
    void storageProblem(const fedsync::UserError &problem);
    void tokensRefreshed();

private:
    using Done = std::function<void(const UserError &)>;
    SessionBinding bindingFor(const QString &sub) const;
    void setState(State state);
    // Runs `work` holding the lock of `key`; `work` calls the release function it is given when done.
    void locked(const QString &key, std::function<void(std::function<void()> release)> work, Done failed);
    // Under the lock: reads the entry of `binding`, then brings it to m_tokens (cached or refreshed).
    void loadAndUse(const SessionBinding &binding, int minValiditySeconds, const QString &rejectedIdToken,
                    std::function<void()> release, Done done);
    void useEntry(SessionEntry entry, int minValiditySeconds, const QString &rejectedIdToken,
                  std::function<void()> release, Done done);
    void refreshEntry(SessionEntry entry, std::function<void()> release, Done done);
    void verifyForBinding(const QString &idToken, const SessionBinding &binding,
                          std::function<void(const IdTokenValidator::Result &)> done);
    void writeEntry(const SessionEntry &entry, std::function<void()> then);
    void takeOver(const SessionEntry &entry, const QString &accessToken, const IdTokenClaims &claims);
    void refreshInMemory(Done done);
    void runNextLocked();

    struct LockedWork
    {
        QString key;
        std::function<void(std::function<void()> release)> work;
        Done failed;
    };

    Profile m_profile;
    Auth0Client *m_client;
    SecretStore *m_secrets;
    IdTokenVerifier *m_verifier;
    SessionCredentialsTier m_credentialsTier;
    SessionLock *m_lock = nullptr; // of the work in progress
    QList<LockedWork> m_lockQueue; // one locked work at a time in this process
    bool m_lockBusy = false;
    QList<std::function<void()>> m_idleWaiters;
    State m_state = State::SignedOut;
    TokenResponse m_tokens;
    IdTokenClaims m_claims;
    SessionBinding m_binding;
    CachedAwsCredentials m_aws;
    bool m_persisted = false;
    QList<std::function<void(const QString &, const UserError &)>> m_refreshWaiters;
};

} // namespace fedsync
