// A sign-in on the fake network for unit tests of what happens around the browser: the provider
// https://tenant.example/ (client "client123") answers its discovery document, its token endpoint never
// answers (so a cancel must still end cleanly), and the keychain is in memory.
#pragma once

#include "auth/auth0client.h"
#include "fakenetwork.h"
#include "memorysecretstore.h"
#include "net/networkcontext.h"
#include "session/signinflow.h"
#include "session/signinstate.h"

#include <memory>

namespace fedsync::test {

struct FakeSignIn
{
    FakeSignIn();
    ~FakeSignIn();

    FakeNetworkAccessManager nam;
    NetworkContext context;
    Auth0Client client;
    MemorySecretStore secrets;
    std::unique_ptr<SignInState> session;
    std::unique_ptr<SignInFlow> flow;
};

} // namespace fedsync::test
