// SessionCredentialsTier over the real kernel keyring (its own service name): what it keeps (the binding
// and the credentials, no token), and what it refuses to hand out: a copy of another user, provider,
// pool or scope, a copy holding a token, a dropped one; without a tier every call does nothing.
#include "config/profile.h"
#include "memorysecretstore.h"
#include "secrets/kernelkeyring.h"
#include "session/rememberedsessions.h"
#include "session/sessioncredentialstier.h"
#include "session/sessionentry.h"
#include "testmain.h"
#include "testprofiles.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace fedsync;

namespace {
Profile profile()
{
    Profile p = test::minimalProfile(QStringLiteral("Work"));
    p.id = QStringLiteral("work");
    return p;
}

const SessionBinding alice{QStringLiteral("https://tenant.auth0.com/"), QStringLiteral("abc"),
                           QStringLiteral("auth0|alice")};

CachedAwsCredentials credentials(const QString &accessKeyId = QStringLiteral("ASIAEXAMPLE"))
{
    CachedAwsCredentials c;
    c.pool = QStringLiteral("us-east-1:pool");
    c.scope = QStringLiteral("enhanced");
    c.identityId = QStringLiteral("us-east-1:identity");
    c.accessKeyId = accessKeyId;
    c.secretAccessKey = QStringLiteral("secret");
    c.sessionToken = QStringLiteral("session-token");
    c.expiration = QDateTime::currentDateTimeUtc().addSecs(3600);
    return c;
}
} // namespace

class TestSessionCredentialsTier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void keepsTheBindingAndTheCredentialsOnly();
    void handsOutOnlyThisSessionsCopy();
    void aCopyHoldingATokenIsNotUsed();
    void dropForgetsIt();
    void deletingTheProfileDropsIt();
    void withoutATierNothingIsKept();

private:
    QString keyFor(const SessionBinding &binding) const
    {
        return SessionEntry::keyFor(m_profile, binding) + QStringLiteral("/aws");
    }

    Profile m_profile = profile();
    std::unique_ptr<KernelKeyring> m_keyring;
    MemorySecretStore m_secrets;
};

void TestSessionCredentialsTier::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("FedsyncTest"));
    m_keyring = std::make_unique<KernelKeyring>(
        QStringLiteral("FedsyncTierTest-%1").arg(QCoreApplication::applicationPid()));
    if (!m_keyring->isAvailable())
        QSKIP("The kernel keyring calls are refused here (a seccomp policy): nothing to test");
    m_secrets.setVolatileTier(m_keyring.get());
}

void TestSessionCredentialsTier::init()
{
    m_keyring->drop(keyFor(alice));
}

void TestSessionCredentialsTier::keepsTheBindingAndTheCredentialsOnly()
{
    const SessionCredentialsTier tier(m_profile, &m_secrets);
    tier.store(alice, credentials());
    const QJsonObject kept = QJsonDocument::fromJson(m_keyring->get(keyFor(alice))).object();
    QCOMPARE(kept.value(QStringLiteral("sub")).toString(), alice.subject);
    QCOMPARE(kept.value(QStringLiteral("iss")).toString(), alice.issuer);
    QVERIFY(!kept.contains(QStringLiteral("refresh_token")));
    QVERIFY(!kept.contains(QStringLiteral("id_token")));
    const CachedAwsCredentials back =
        tier.load(alice, QStringLiteral("us-east-1:pool"), QStringLiteral("enhanced"));
    QCOMPARE(back.accessKeyId, QStringLiteral("ASIAEXAMPLE"));
    QCOMPARE(back.sessionToken, QStringLiteral("session-token"));
    QCOMPARE(back.identityId, QStringLiteral("us-east-1:identity"));
}

void TestSessionCredentialsTier::handsOutOnlyThisSessionsCopy()
{
    const SessionCredentialsTier tier(m_profile, &m_secrets);
    tier.store(alice, credentials());
    const QString pool = QStringLiteral("us-east-1:pool");
    const QString scope = QStringLiteral("enhanced");
    QVERIFY(tier.load(alice, QStringLiteral("us-east-1:other"), scope).isEmpty());
    QVERIFY(tier.load(alice, pool, QStringLiteral("basic")).isEmpty());
    SessionBinding bob = alice;
    bob.subject = QStringLiteral("auth0|bob");
    QVERIFY(tier.load(bob, pool, scope).isEmpty());

    // Another user's copy planted under this session's name is not handed out.
    SessionEntry planted;
    planted.binding = bob;
    planted.aws = credentials(QStringLiteral("ASIABOB"));
    QVERIFY(m_keyring->put(keyFor(alice), planted.encode(), planted.aws.expiration));
    QVERIFY(tier.load(alice, pool, scope).isEmpty());
    // Nor is something that is not an entry at all.
    QVERIFY(m_keyring->put(keyFor(alice), "not json", planted.aws.expiration));
    QVERIFY(tier.load(alice, pool, scope).isEmpty());
}

void TestSessionCredentialsTier::aCopyHoldingATokenIsNotUsed()
{
    SessionEntry withToken;
    withToken.binding = alice;
    withToken.refreshToken = QStringLiteral("a-refresh-token");
    withToken.aws = credentials();
    QVERIFY(m_keyring->put(keyFor(alice), withToken.encode(), withToken.aws.expiration));
    const SessionCredentialsTier tier(m_profile, &m_secrets);
    QVERIFY(tier.load(alice, QStringLiteral("us-east-1:pool"), QStringLiteral("enhanced")).isEmpty());
}

void TestSessionCredentialsTier::dropForgetsIt()
{
    const SessionCredentialsTier tier(m_profile, &m_secrets);
    tier.store(alice, credentials());
    QVERIFY(!m_keyring->get(keyFor(alice)).isEmpty());
    tier.drop(alice);
    QCOMPARE(m_keyring->get(keyFor(alice)), QByteArray());
    QVERIFY(tier.load(alice, QStringLiteral("us-east-1:pool"), QStringLiteral("enhanced")).isEmpty());
}

void TestSessionCredentialsTier::deletingTheProfileDropsIt()
{
    const SessionCredentialsTier tier(m_profile, &m_secrets);
    RememberedSessions(m_profile).rememberSignIn(alice, SessionEntry::keyFor(m_profile, alice));
    tier.store(alice, credentials());
    QVERIFY(!m_keyring->get(keyFor(alice)).isEmpty());
    bool done = false;
    QObject context;
    RememberedSessions::forgetProfile(m_profile.id, &m_secrets, &context, [&done] { done = true; });
    QTRY_VERIFY(done);
    QCOMPARE(m_keyring->get(keyFor(alice)), QByteArray());
}

void TestSessionCredentialsTier::withoutATierNothingIsKept()
{
    MemorySecretStore plain;
    const SessionCredentialsTier tier(m_profile, &plain);
    tier.store(alice, credentials());
    QCOMPARE(m_keyring->get(keyFor(alice)), QByteArray());
    QVERIFY(tier.load(alice, QStringLiteral("us-east-1:pool"), QStringLiteral("enhanced")).isEmpty());
}

FEDSYNC_TEST_MAIN(TestSessionCredentialsTier)
#include "tst_sessioncredentialstier.moc"
