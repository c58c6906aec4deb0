#include "fakesignin.h"

#include "config/profile.h"

namespace fedsync::test {

FakeSignIn::FakeSignIn()
    : context(&nam, nullptr)
    , client(context, QStringLiteral("https://tenant.example/"), QStringLiteral("client123"))
{
    nam.setHandler([](const RecordedRequest &r) {
        if (r.request.url().path().endsWith(QStringLiteral("openid-configuration")))
            return FakeResponse::json(200, R"({"issuer":"https://tenant.example/",
                "authorization_endpoint":"https://tenant.example/authorize",
                "token_endpoint":"https://tenant.example/oauth/token",
                "jwks_uri":"https://tenant.example/.well-known/jwks.json"})");
        return FakeResponse::hang(); // the token endpoint never answers: cancel must still be clean
    });
    Profile profile;
    profile.id = QStringLiteral("test");
    profile.auth0.domain = QStringLiteral("tenant.example");
    profile.auth0.clientId = QStringLiteral("client123");
    session = std::make_unique<SignInState>(profile, &client, &secrets);
    flow = std::make_unique<SignInFlow>(session.get());
}

FakeSignIn::~FakeSignIn()
{
    flow.reset();
    session.reset();
}

} // namespace fedsync::test
