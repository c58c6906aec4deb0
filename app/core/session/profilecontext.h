// The composition root for one profile, shared by the desktop app and the CLI: the network context
// (system CAs plus the profile's CA file), the flow trace, the Auth0 client and the SignInState, wired
// together, and the AWS side (AwsAccess) when the profile has one. Built from a validated profile; the
// secret store is passed in (keychain, or a fake in tests).
#pragma once

#include "common/usererror.h"
#include "config/profile.h"

#include <QObject>

#include <memory>

class QNetworkAccessManager;

namespace fedsync {

class Auth0Client;
class SignInState;
class AwsAccess;
class FlowTrace;
class NetworkContext;
class SecretStore;

class ProfileContext final : public QObject
{
    Q_OBJECT
public:
    // Validates the profile (errors only; warnings are for the settings dialog) and loads its CA file.
    static std::unique_ptr<ProfileContext> create(const Profile &profile, SecretStore *secrets,
                                                  UserError *error, QObject *parent = nullptr);
    ~ProfileContext() override;

    const Profile &profile() const { return m_profile; }
    FlowTrace *trace() const { return m_trace; }
    NetworkContext &network() const { return *m_network; }
    QNetworkAccessManager *accessManager() const { return m_nam; }
    Auth0Client *auth0() const { return m_auth0; }
    // The signed-in state: tokens, keychain entry, silent sign-in, sign-out.
    SignInState *session() const { return m_session; }
    SecretStore *secrets() const { return m_secrets; }
    // The AWS side; null when the profile has none or it is unusable (see cognitoProblem()).
    AwsAccess *cognito() const { return m_cognito; }
    // Why there is no AWS side: "not configured", or an unusable endpoint (e.g. a bad AWS_ENDPOINT_URL).
    const UserError &cognitoProblem() const { return m_cognitoProblem; }

private:
    ProfileContext(const Profile &profile, SecretStore *secrets, QObject *parent);

    Profile m_profile;
    SecretStore *m_secrets;
    QNetworkAccessManager *m_nam;
    FlowTrace *m_trace;
    std::unique_ptr<NetworkContext> m_network;
    Auth0Client *m_auth0 = nullptr;
    SignInState *m_session = nullptr;
    AwsAccess *m_cognito = nullptr;
    UserError m_cognitoProblem;
};

} // namespace fedsync
