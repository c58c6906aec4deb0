// The signed-in state of one profile: the verified tokens in memory, the refresh token in the OS keychain
// (keyed by profile and user), silent sign-in at start-up, fresh ID tokens on demand (for Cognito), and
// sign-out. With no usable keychain, sign-in still works for this run and nothing is written elsewhere.
#pragma once

#include "auth/tokenresponse.h"
#include "common/usererror.h"
#include "config/profile.h"
#include "oidc/idtokenvalidator.h"

#include <QObject>

#include <functional>

namespace fedsync {

class Auth0Client;
class IdTokenVerifier;
class SecretStore;

class AuthSession final : public QObject
{
    Q_OBJECT
public:
    enum class State { SignedOut, Restoring, SignedIn };
    Q_ENUM(State)

    AuthSession(Profile profile, Auth0Client *client, SecretStore *secrets, QObject *parent = nullptr);
    ~AuthSession() override;

    State state() const { return m_state; }
    bool isSignedIn() const { return m_state == State::SignedIn; }
    const Profile &profile() const { return m_profile; }
    const IdTokenClaims &claims() const { return m_claims; }
    const QString &idToken() const { return m_tokens.idToken; }
    const QString &accessToken() const { return m_tokens.accessToken; }
    bool hasRefreshToken() const { return !m_tokens.refreshToken.isEmpty(); }
    // Whether the tokens are kept in the keychain (false: this run only, see storageProblem()).
    bool isPersisted() const { return m_persisted; }
    Auth0Client *client() const { return m_client; }
    IdTokenValidator::ValidationContext validationContext() const;

    // Silent sign-in with the refresh token stored for this profile's last user. Ends in signedIn(), or
    // restoreFailed() with the reason (nothing stored, refused, keychain unavailable, offline...).
    void restore();
    // Takes over the verified result of an interactive sign-in and stores the refresh token.
    void adopt(TokenResponse tokens, const IdTokenClaims &claims);
    // A valid ID token for Cognito: the current one, or a refreshed one when it expires within
    // `minValiditySeconds`.
    void freshIdToken(std::function<void(const QString &idToken, const UserError &error)> done,
                      int minValiditySeconds = 300);
    // Forgets the tokens here and in the keychain. Returns Auth0's logout URL for the caller to open
    // (the browser session at Auth0 ends there); `federated` also signs out of the upstream identity
    // provider.
    // `removed` runs once the keychain entry is gone (a CLI waits for it before exiting).
    QUrl signOut(bool federated, std::function<void()> removed = {});
    // The refresh token to revoke at sign-out (before signOut() forgets it): the one in memory, else the
    // one stored for this profile's last user; empty when there is none. Called back at once when the
    // answer is in memory, later when the keychain is read.
    void refreshTokenForRevocation(std::function<void(QString refreshToken)> done);

    // The `sub` of this profile's last signed-in user as remembered in the settings (empty after a sign-out);
    // known without the keychain or the network, for offline work on that user's local data.
    QString lastUserSubject() const;
    // The keychain key of this profile's user: "<profile>/<sub>/tokens".
    QString secretKey(const QString &sub) const;

Q_SIGNALS:
    void stateChanged(fedsync::AuthSession::State state);
    void signedIn();
    void signedOut();
    void restoreFailed(const fedsync::UserError &reason);
    void storageProblem(const fedsync::UserError &problem);
    void tokensRefreshed();

private:
    void setState(State state);
    void refreshWith(const QString &refreshToken, std::function<void(const UserError &)> done);
    void storeRefreshToken(const QString &refreshToken, std::function<void()> then);
    QString lastUserKey() const;

    Profile m_profile;
    Auth0Client *m_client;
    SecretStore *m_secrets;
    IdTokenVerifier *m_verifier;
    State m_state = State::SignedOut;
    TokenResponse m_tokens;
    IdTokenClaims m_claims;
    bool m_persisted = false;
    QList<std::function<void(const QString &, const UserError &)>> m_refreshWaiters;
};

} // namespace fedsync
