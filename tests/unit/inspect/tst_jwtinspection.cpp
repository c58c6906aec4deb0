// JwtInspector: each check on its own line, with the one that fails named, and dates in words.
#include "inspect/jwtinspection.h"
#include "oidc/jwks.h"
#include "testmain.h"
#include "testtokenfactory.h"

#include <QJsonArray>

using namespace fedsync;
using namespace fedsync::test;

class TestJwtInspection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void checks_data();
    void checks();
    void datesInWordsWithTimeLeft();
    void garbageIsNotDecoded();

private:
    QJsonObject claims() const;
    std::optional<TestKey> m_key;
    std::optional<TestKey> m_other;
    std::optional<Jwks> m_jwks;
    QDateTime m_now = QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
};

void TestJwtInspection::initTestCase()
{
    m_key = TestKey::generate(QStringLiteral("k1"));
    m_other = TestKey::generate(QStringLiteral("k2"));
    UserError error;
    m_jwks = Jwks::parse(TestTokenFactory::jwks({&*m_key}), &error);
    QVERIFY2(m_jwks, qPrintable(error.text()));
}

QJsonObject TestJwtInspection::claims() const
{
    return {{QStringLiteral("iss"), QStringLiteral("https://tenant.auth0.com/")},
            {QStringLiteral("sub"), QStringLiteral("auth0|abc")},
            {QStringLiteral("aud"), QStringLiteral("client-1")},
            {QStringLiteral("nonce"), QStringLiteral("n-1")},
            {QStringLiteral("iat"), m_now.toSecsSinceEpoch() - 60},
            {QStringLiteral("exp"), m_now.toSecsSinceEpoch() + 3600}};
}

void TestJwtInspection::checks_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("failing"); // the one check that fails; empty: all pass
    for (const char *v : {"valid", "hs256", "unknown kid", "tampered", "iss without slash", "other audience",
                          "expired", "nonce"}) {
        static const QHash<QString, QString> failing{
            {QStringLiteral("hs256"), QStringLiteral("signature")},
            {QStringLiteral("unknown kid"), QStringLiteral("signature")},
            {QStringLiteral("tampered"), QStringLiteral("signature")},
            {QStringLiteral("iss without slash"), QStringLiteral("iss")},
            {QStringLiteral("other audience"), QStringLiteral("aud")},
            {QStringLiteral("expired"), QStringLiteral("exp")},
            {QStringLiteral("nonce"), QStringLiteral("nonce")}};
        QTest::newRow(v) << QString::fromLatin1(v) << failing.value(QString::fromLatin1(v));
    }
}

void TestJwtInspection::checks()
{
    QFETCH(QString, variant);
    QFETCH(QString, failing);
    QJsonObject payload = claims();
    if (variant == QStringLiteral("iss without slash"))
        payload[QStringLiteral("iss")] = QStringLiteral("https://tenant.auth0.com");
    if (variant == QStringLiteral("other audience"))
        payload[QStringLiteral("aud")] = QStringLiteral("client-2");
    if (variant == QStringLiteral("expired"))
        payload[QStringLiteral("exp")] = m_now.toSecsSinceEpoch() - 3600;
    const QJsonObject header{
        {QStringLiteral("alg"), QStringLiteral("RS256")},
        {QStringLiteral("kid"), variant == QStringLiteral("unknown kid") ? m_other->kid() : m_key->kid()}};
    QString token;
    if (variant == QStringLiteral("hs256"))
        token = TestTokenFactory::signHs256({{QStringLiteral("alg"), QStringLiteral("HS256")}}, payload,
                                            "secret");
    else
        token = TestTokenFactory::signRs256(header, payload,
                                            variant == QStringLiteral("unknown kid") ? *m_other : *m_key);
    if (variant == QStringLiteral("tampered")) {
        QJsonObject changed = payload;
        changed[QStringLiteral("sub")] = QStringLiteral("auth0|mallory");
        const QStringList parts = token.split(u'.');
        token =
            parts[0] + u'.' + QString::fromLatin1(TestTokenFactory::encodeJson(changed)) + u'.' + parts[2];
    }
    JwtInspector::Expectations expect;
    expect.issuer = QStringLiteral("https://tenant.auth0.com/");
    expect.clientId = QStringLiteral("client-1");
    expect.nonce = variant == QStringLiteral("nonce") ? QStringLiteral("n-2") : QStringLiteral("n-1");
    expect.jwks = &*m_jwks;
    expect.now = m_now;
    const JwtInspection result = JwtInspector::inspect(token, expect);
    QVERIFY(result.decoded);
    QCOMPARE(result.checks.size(), 5);
    for (const JwtCheck &check : result.checks) {
        const auto expected = check.id == failing ? JwtCheck::Outcome::Fail : JwtCheck::Outcome::Pass;
        QVERIFY2(check.outcome == expected, qPrintable(check.id + QStringLiteral(": ") + check.detail));
    }
    QCOMPARE(result.allPassed(), failing.isEmpty());
    if (variant == QStringLiteral("hs256"))
        QVERIFY(result.check(QStringLiteral("signature"))->detail.contains(QStringLiteral("RS256")));
    if (variant == QStringLiteral("iss without slash"))
        QVERIFY(result.check(QStringLiteral("iss"))->detail.contains(QStringLiteral("trailing slash")));
}

void TestJwtInspection::datesInWordsWithTimeLeft()
{
    const QString token =
        TestTokenFactory::signRs256({{QStringLiteral("alg"), QStringLiteral("RS256")}}, claims(), *m_key);
    JwtInspector::Expectations expect;
    expect.now = m_now;
    const JwtInspection result = JwtInspector::inspect(token, expect);
    QCOMPARE(result.dates.first().first, QStringLiteral("exp"));
    QCOMPARE(result.dates.first().second, QStringLiteral("2026-11-30 13:00:00 UTC (in 1 h 0 min)"));
    QCOMPARE(result.dates.at(1).second, QStringLiteral("2026-11-30 11:59:00 UTC (1 min 0 s ago)"));
    // Without a key set, the signature is not claimed to pass.
    QCOMPARE(result.check(QStringLiteral("signature"))->outcome, JwtCheck::Outcome::Skipped);
}

void TestJwtInspection::garbageIsNotDecoded()
{
    const JwtInspection result = JwtInspector::inspect(QStringLiteral("not-a-token"), {});
    QVERIFY(!result.decoded);
    QVERIFY(!result.error.isEmpty());
    QVERIFY(!result.allPassed());
}

FEDSYNC_TEST_MAIN(TestJwtInspection)
#include "tst_jwtinspection.moc"
