#include "inspect/jwtinspection.h"

#include "oidc/jwks.h"
#include "oidc/jwt.h"

#include <QJsonArray>

namespace fedsync {

QString JwtCheck::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Pass:
        return QStringLiteral("pass");
    case Outcome::Fail:
        return QStringLiteral("fail");
    case Outcome::Skipped:
        break;
    }
    return QStringLiteral("skipped");
}

QJsonObject JwtCheck::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("status"), outcomeName(outcome)},
            {QStringLiteral("detail"), detail}};
}

bool JwtInspection::allPassed() const
{
    if (!decoded)
        return false;
    for (const JwtCheck &c : checks)
        if (c.outcome == JwtCheck::Outcome::Fail)
            return false;
    return true;
}

const JwtCheck *JwtInspection::check(const QString &id) const
{
    for (const JwtCheck &c : checks)
        if (c.id == id)
            return &c;
    return nullptr;
}

QJsonObject JwtInspection::toJson() const
{
    QJsonArray checkArray;
    for (const JwtCheck &c : checks)
        checkArray.append(c.toJson());
    QJsonObject dateObject;
    for (const auto &[name, text] : dates)
        dateObject.insert(name, text);
    return {{QStringLiteral("decoded"), decoded},  {QStringLiteral("error"), error},
            {QStringLiteral("header"), header},    {QStringLiteral("claims"), claims},
            {QStringLiteral("dates"), dateObject}, {QStringLiteral("checks"), checkArray}};
}

QString JwtInspector::relative(const QDateTime &when, const QDateTime &now)
{
    qint64 seconds = now.secsTo(when);
    const bool future = seconds >= 0;
    seconds = qAbs(seconds);
    QString span;
    if (seconds < 60)
        span = tr("%n s", nullptr, int(seconds));
    else if (seconds < 3600)
        span = tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    else if (seconds < 86400)
        span = tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    else
        span = tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
    return future ? tr("in %1").arg(span) : tr("%1 ago").arg(span);
}

namespace {
using Outcome = JwtCheck::Outcome;

QStringList audiences(const QJsonObject &claims)
{
    const QJsonValue aud = claims.value(QStringLiteral("aud"));
    QStringList out;
    if (aud.isString())
        out << aud.toString();
    for (const QJsonValue &v : aud.toArray())
        out << v.toString();
    return out;
}
} // namespace

JwtInspection JwtInspector::inspect(const QString &token, const Expectations &expect)
{
    JwtInspection result;
    UserError error;
    const std::optional<Jwt> jwt = Jwt::parse(QStringView(token).trimmed(), &error);
    if (!jwt) {
        result.error = error.what;
        return result;
    }
    result.decoded = true;
    result.header = jwt->header();
    result.claims = jwt->payload();
    result.algorithm = jwt->algorithm();
    result.keyId = jwt->keyId();
    const QDateTime now = expect.now.isValid() ? expect.now : QDateTime::currentDateTimeUtc();

    for (const char *name : {"exp", "iat", "nbf", "auth_time"}) {
        const QJsonValue v = result.claims.value(QLatin1String(name));
        if (!v.isDouble())
            continue;
        const QDateTime when = QDateTime::fromSecsSinceEpoch(qint64(v.toDouble()), Qt::UTC);
        result.dates.append(
            {QLatin1String(name),
             tr("%1 (%2)").arg(when.toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"), relative(when, now))});
    }

    // Signature and the key it names.
    JwtCheck signature{QStringLiteral("signature"), JwtCheck::Outcome::Skipped, {}};
    if (result.algorithm == QStringLiteral("HS256")) {
        signature.outcome = Outcome::Fail;
        signature.detail = tr("HS256: signed with the client secret, which nobody else can check; Cognito "
                              "answers \"Invalid login token\". Switch the application to RS256.");
    } else if (result.algorithm != QStringLiteral("RS256")) {
        signature.outcome = Outcome::Fail;
        signature.detail = tr("Algorithm \"%1\" is not RS256.").arg(result.algorithm);
    } else if (!expect.jwks) {
        signature.detail = tr("No key set to check against.");
    } else {
        const Jwks::Key *key =
            result.keyId.isEmpty() ? expect.jwks->onlyKey() : expect.jwks->find(result.keyId);
        if (!key) {
            signature.outcome = Outcome::Fail;
            const QString rejected = expect.jwks->rejectionReason(result.keyId);
            signature.detail =
                !rejected.isEmpty()
                    ? tr("Key \"%1\" is in the JWKS but unusable: %2").arg(result.keyId, rejected)
                    : tr("No key \"%1\" in the JWKS (it holds %2).")
                          .arg(result.keyId, expect.jwks->keyIds().join(QStringLiteral(", ")));
        } else if (key->verifyRs256(jwt->signingInput(), jwt->signature())) {
            signature.outcome = Outcome::Pass;
            signature.detail =
                tr("RS256 signature verified with key \"%1\" (%2 bits).").arg(key->kid).arg(key->bits);
        } else {
            signature.outcome = Outcome::Fail;
            signature.detail = tr("The signature does not match key \"%1\": the token was altered or not "
                                  "signed by this provider.")
                                   .arg(key->kid);
        }
    }
    result.checks.append(signature);

    const QString iss = result.claims.value(QStringLiteral("iss")).toString();
    JwtCheck issuer{QStringLiteral("iss"), JwtCheck::Outcome::Skipped, {}};
    if (expect.issuer.isEmpty()) {
        issuer.detail = tr("iss is \"%1\" (no issuer to compare with).").arg(iss);
    } else if (iss == expect.issuer) {
        issuer.outcome = Outcome::Pass;
        issuer.detail = tr("iss is \"%1\".").arg(iss);
    } else {
        issuer.outcome = Outcome::Fail;
        issuer.detail =
            tr("iss is \"%1\", expected \"%2\" (mind the trailing slash).").arg(iss, expect.issuer);
    }
    result.checks.append(issuer);

    const QStringList aud = audiences(result.claims);
    const QString azp = result.claims.value(QStringLiteral("azp")).toString();
    JwtCheck audience{QStringLiteral("aud"), JwtCheck::Outcome::Skipped, {}};
    if (expect.clientId.isEmpty()) {
        audience.detail =
            tr("aud is \"%1\" (no client id to compare with).").arg(aud.join(QStringLiteral(", ")));
    } else if (!aud.contains(expect.clientId)) {
        audience.outcome = Outcome::Fail;
        audience.detail = tr("aud is \"%1\", not the client id \"%2\".")
                              .arg(aud.join(QStringLiteral(", ")), expect.clientId);
    } else if (aud.size() > 1 && azp != expect.clientId) {
        audience.outcome = Outcome::Fail;
        audience.detail = tr("Several audiences and azp is \"%1\", not the client id.").arg(azp);
    } else {
        audience.outcome = Outcome::Pass;
        audience.detail = tr("aud is the client id \"%1\".").arg(expect.clientId);
    }
    result.checks.append(audience);

    JwtCheck nonce{QStringLiteral("nonce"), JwtCheck::Outcome::Skipped, {}};
    const QString tokenNonce = result.claims.value(QStringLiteral("nonce")).toString();
    if (!expect.nonce) {
        nonce.detail = tokenNonce.isEmpty() ? tr("No nonce in the token.")
                                            : tr("Has a nonce (nothing to compare it with here).");
    } else if (tokenNonce == *expect.nonce) {
        nonce.outcome = Outcome::Pass;
        nonce.detail = tr("The nonce matches the sign-in request.");
    } else {
        nonce.outcome = Outcome::Fail;
        nonce.detail = tr("The nonce does not match the sign-in request.");
    }
    result.checks.append(nonce);

    JwtCheck expiry{QStringLiteral("exp"), JwtCheck::Outcome::Skipped, {}};
    const QJsonValue exp = result.claims.value(QStringLiteral("exp"));
    if (!exp.isDouble()) {
        expiry.outcome = Outcome::Fail;
        expiry.detail = tr("No exp claim.");
    } else {
        const QDateTime when = QDateTime::fromSecsSinceEpoch(qint64(exp.toDouble()), Qt::UTC);
        const bool valid = now.addSecs(-expect.leewaySeconds) < when;
        expiry.outcome = valid ? Outcome::Pass : Outcome::Fail;
        expiry.detail = valid ? tr("Valid, expires %1.").arg(relative(when, now))
                              : tr("Expired %1.").arg(relative(when, now));
    }
    result.checks.append(expiry);
    return result;
}

} // namespace fedsync
