#include "oidc/idtokenvalidator.h"

#include "log/logcategories.h"
#include "oidc/jwks.h"
#include "oidc/jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <cmath>

namespace fedsync {

namespace {

using Reason = IdTokenValidator::Reason;

// The payload's claims the validator reads, in the order of Claim.
enum Claim {
    Iss,
    Sub,
    Aud,
    Azp,
    Exp,
    Iat,
    Nbf,
    AuthTime,
    Nonce,
    Name,
    Nickname,
    Email,
    EmailVerified,
    Picture,
    OrgId,
    OrgName,
};
const std::initializer_list<QLatin1String> ClaimNames = {QLatin1String("iss"),
                                                         QLatin1String("sub"),
                                                         QLatin1String("aud"),
                                                         QLatin1String("azp"),
                                                         QLatin1String("exp"),
                                                         QLatin1String("iat"),
                                                         QLatin1String("nbf"),
                                                         QLatin1String("auth_time"),
                                                         QLatin1String("nonce"),
                                                         QLatin1String("name"),
                                                         QLatin1String("nickname"),
                                                         QLatin1String("email"),
                                                         QLatin1String("email_verified"),
                                                         QLatin1String("picture"),
                                                         QLatin1String("org_id"),
                                                         QLatin1String("org_name")};

// The latest time a NumericDate may name (9999-12-31T23:59:59Z): beyond it QDateTime stops being useful.
constexpr double MaxNumericDate = 253402300799.0;

struct Failure
{
    Reason reason;
    QString why;
    QString action;
};

IdTokenValidator::Result fail(const Failure &failure, const QString &details = {})
{
    IdTokenValidator::Result result;
    result.reason = failure.reason;
    result.error = UserError::make(
        QStringLiteral("oidc.idtoken.") + IdTokenValidator::reasonName(failure.reason),
        IdTokenValidator::tr(
            "The sign-in could not be completed because the ID token failed a security check."),
        failure.why, failure.action, details);
    qCInfo(lcOidc) << "ID token rejected:" << result.error.code;
    return result;
}

QString timeText(qint64 secondsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC).toString(Qt::ISODate);
}

// RFC 7519 NumericDate: seconds since the epoch, possibly fractional. A string or an absurd value counts
// as absent, so it is reported as "missing or invalid" rather than silently read as zero.
std::optional<qint64> numericDate(const JsonMember &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > MaxNumericDate)
        return std::nullopt;
    return static_cast<qint64>(std::floor(seconds));
}

QString quoted(const QString &text)
{
    return QStringLiteral("\"%1\"").arg(text);
}

QString quotedList(const QStringList &values)
{
    QStringList out;
    for (const QString &value : values)
        out << quoted(value);
    return out.join(QStringLiteral(", "));
}

std::optional<Failure> checkSignature(const Jwt &jwt, const IdTokenValidator::ValidationContext &ctx)
{
    const QString alg = jwt.algorithm();
    // Messages are translated only on the way to a failure: a valid token costs no translation lookup.
    const auto rs256Advice = [] {
        return IdTokenValidator::tr(
            "In the Auth0 Dashboard, open Applications > your application > Advanced Settings > OAuth and "
            "set JSON Web Token (JWT) Signature Algorithm to RS256; Amazon Cognito only accepts "
            "RS256-signed tokens.");
    };
    if (alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
        return Failure{Reason::AlgNone,
                       IdTokenValidator::tr(
                           "The ID token is not signed at all (its algorithm is \"none\"), so anyone could "
                           "have written it."),
                       IdTokenValidator::tr(
                           "Check the Auth0 domain in the profile: a genuine Auth0 tenant always signs its "
                           "ID tokens. Do not use this sign-in server until this is explained.")};
    }
    if (alg == QLatin1String("HS256")) {
        return Failure{
            Reason::HS256,
            IdTokenValidator::tr("The ID token is signed with HS256, a secret shared between Auth0 and the "
                                 "application, which Fedsync cannot verify."),
            rs256Advice()};
    }
    if (alg != QLatin1String("RS256")) {
        return Failure{Reason::UnsupportedAlg,
                       alg.isEmpty()
                           ? IdTokenValidator::tr("The ID token does not say how it is signed (no \"alg\").")
                           : IdTokenValidator::tr("The ID token is signed with %1; only RS256 is accepted.")
                                 .arg(quoted(alg)),
                       rs256Advice()};
    }
    // A critical extension we do not implement must not be ignored (RFC 7515 §4.1.11).
    if (jwt.hasCriticalHeader()) {
        return Failure{
            Reason::Malformed,
            IdTokenValidator::tr(
                "The ID token's header lists critical extensions (\"crit\") that Fedsync does "
                "not support."),
            IdTokenValidator::tr("Check the Auth0 domain in the profile; Auth0 does not issue such tokens.")};
    }

    const QString kid = jwt.keyId();
    const Jwks::Key *key = nullptr;
    if (kid.isEmpty()) {
        key = ctx.jwks->onlyKey();
        if (!key) {
            return Failure{
                Reason::AmbiguousKey,
                IdTokenValidator::tr(
                    "The ID token does not name its signing key (no \"kid\"), and the tenant "
                    "has %1 signing keys, so it cannot be told which one signed it.")
                    .arg(ctx.jwks->size()),
                IdTokenValidator::tr("Sign in again. If this keeps happening, contact the Auth0 tenant's "
                                     "administrator.")};
        }
    } else {
        key = ctx.jwks->find(kid);
        if (!key) {
            const QString rejection = ctx.jwks->rejectionReason(kid);
            if (!rejection.isEmpty()) {
                return Failure{
                    Reason::UnusableKey,
                    IdTokenValidator::tr("The ID token was signed with the key %1, which Fedsync does not "
                                         "accept: %2.")
                        .arg(quoted(kid), rejection),
                    IdTokenValidator::tr(
                        "Ask the Auth0 tenant's administrator to sign tokens with an RS256 key "
                        "of at least 2048 bits.")};
            }
            return Failure{Reason::UnknownKid,
                           IdTokenValidator::tr(
                               "The ID token was signed with the key %1, which is not among the tenant's "
                               "signing keys (%2).")
                               .arg(quoted(kid), quotedList(ctx.jwks->keyIds())),
                           IdTokenValidator::tr(
                               "Sign in again; the tenant may have just rotated its keys. If this keeps "
                               "happening, check the Auth0 domain in the profile.")};
        }
    }
    if (!key->verifyRs256(jwt.signingInput(), jwt.signature())) {
        return Failure{
            Reason::BadSignature,
            IdTokenValidator::tr("The ID token's signature does not match the tenant's key %1: the token was "
                                 "altered, or was not issued by this tenant.")
                .arg(quoted(key->kid)),
            IdTokenValidator::tr(
                "Sign in again. If this keeps happening, check the Auth0 domain in the profile "
                "and your network: something may be tampering with the connection.")};
    }
    return std::nullopt;
}

std::optional<Failure> checkIssuer(const QString &iss, const QString &expected)
{
    if (iss.isEmpty()) {
        return Failure{Reason::IssuerMissing,
                       IdTokenValidator::tr("The ID token has no issuer (\"iss\" claim)."),
                       IdTokenValidator::tr("Check the Auth0 domain in the profile.")};
    }
    if (iss == expected)
        return std::nullopt;
    QString why = IdTokenValidator::tr("The ID token was issued by %1, but the profile expects %2.")
                      .arg(quoted(iss), quoted(expected));
    QString action =
        IdTokenValidator::tr("Fix the Auth0 domain in the profile: it must be the domain the tenant issues "
                             "tokens for (its custom domain, if it has one).");
    if (iss == expected + QLatin1Char('/')) {
        why += QLatin1Char(' ') +
               IdTokenValidator::tr(
                   "They differ only by the trailing slash, which Auth0 issuers always end with.");
        action = IdTokenValidator::tr(
            "Add the trailing slash to the issuer in the profile (\"https://{domain}/\").");
    } else if (iss + QLatin1Char('/') == expected) {
        why += QLatin1Char(' ') +
               IdTokenValidator::tr(
                   "The token's issuer lacks the trailing slash that Auth0 issuers end with, so this "
                   "server does not behave like Auth0.");
        action = IdTokenValidator::tr("Check that the profile points at an Auth0 tenant.");
    } else if (QUrl(iss).host().compare(QUrl(expected).host(), Qt::CaseInsensitive) != 0) {
        why += QLatin1Char(' ') + IdTokenValidator::tr("The domains differ.");
    }
    return Failure{Reason::IssuerMismatch, why, action};
}

// An audience that is a URL is typical of an Auth0 API identifier, i.e. of an access token.
bool looksLikeApiAudience(const QStringList &audiences)
{
    for (const QString &audience : audiences)
        if (audience.startsWith(QLatin1String("https://")) || audience.startsWith(QLatin1String("http://")))
            return true;
    return false;
}

std::optional<Failure> checkAudience(const Jwt &jwt, const QString &clientId, QStringList *aud, QString *azp)
{
    const JsonMember &audValue = jwt.claim(Aud);
    if (audValue.isString() && !audValue.toString().isEmpty()) {
        *aud = QStringList{audValue.toString()};
    } else if (audValue.isArray()) {
        for (const QJsonValue &entry : audValue.toArray())
            if (entry.isString() && !entry.toString().isEmpty())
                aud->append(entry.toString());
    }
    const auto accessTokenHint = [] {
        return IdTokenValidator::tr("The token received may be an access token rather than the ID "
                                    "token.");
    };
    if (aud->isEmpty()) {
        return Failure{Reason::AudienceMissing,
                       IdTokenValidator::tr("Missing a required claim: aud (audience).") + QLatin1Char(' ') +
                           accessTokenHint(),
                       IdTokenValidator::tr(
                           "Sign in again. If this keeps happening, check that the sign-in server is the "
                           "Auth0 tenant and that the requested scope includes \"openid\".")};
    }
    if (!aud->contains(clientId)) {
        QString why =
            IdTokenValidator::tr("The ID token is meant for %1, not for this application's client ID %2.")
                .arg(quotedList(*aud), quoted(clientId));
        if (looksLikeApiAudience(*aud))
            why += QLatin1Char(' ') + accessTokenHint();
        return Failure{
            Reason::AudienceMismatch, why,
            IdTokenValidator::tr("Check the client ID in the profile: it must be the Client ID shown in the "
                                 "Auth0 Dashboard under Applications > your application > Settings.")};
    }
    *azp = jwt.claim(Azp).toString();
    if (aud->size() > 1) {
        const QString action =
            IdTokenValidator::tr("Check the client ID in the profile. If it is right, contact the "
                                 "Auth0 tenant's administrator.");
        if (azp->isEmpty()) {
            return Failure{Reason::AzpMissing,
                           IdTokenValidator::tr(
                               "The ID token has several audiences (%1) but no authorized party (\"azp\" "
                               "claim).")
                               .arg(quotedList(*aud)),
                           action};
        }
        if (*azp != clientId) {
            return Failure{Reason::AzpMismatch,
                           IdTokenValidator::tr(
                               "The ID token has several audiences (%1) and its authorized party (\"azp\") "
                               "is %2, not this application's client ID %3.")
                               .arg(quotedList(*aud), quoted(*azp), quoted(clientId)),
                           action};
        }
    }
    return std::nullopt;
}

std::optional<Failure> checkTimes(const Jwt &jwt, const IdTokenValidator::ValidationContext &ctx, qint64 now,
                                  IdTokenClaims *claims)
{
    const qint64 leeway = ctx.leeway.count();
    const auto clockAction = [] {
        return IdTokenValidator::tr("Make sure this computer's date, time and time zone are right (turn "
                                    "on automatic time synchronization), then sign in again.");
    };

    const std::optional<qint64> exp = numericDate(jwt.claim(Exp));
    if (!exp) {
        return Failure{Reason::ExpMissing,
                       IdTokenValidator::tr("The ID token has no valid expiry time (\"exp\" claim)."),
                       IdTokenValidator::tr("Sign in again.")};
    }
    if (now > *exp + leeway) {
        return Failure{
            Reason::Expired,
            IdTokenValidator::tr(
                "The ID token expired at %1, and this computer's clock says %2 (%3 s of clock "
                "difference allowed).")
                .arg(timeText(*exp), timeText(now))
                .arg(leeway),
            IdTokenValidator::tr("Sign in again. If this keeps happening right after signing in, sync this "
                                 "computer's clock (date, time and time zone).")};
    }
    const std::optional<qint64> iat = numericDate(jwt.claim(Iat));
    if (!iat) {
        return Failure{Reason::IatMissing,
                       IdTokenValidator::tr("The ID token has no valid issue time (\"iat\" claim)."),
                       IdTokenValidator::tr("Sign in again.")};
    }
    if (*iat > now + leeway) {
        return Failure{Reason::IssuedInFuture,
                       IdTokenValidator::tr(
                           "The ID token was issued at %1, which is in the future by this computer's clock "
                           "(%2; %3 s of clock difference allowed).")
                           .arg(timeText(*iat), timeText(now))
                           .arg(leeway),
                       clockAction()};
    }
    if (!jwt.claim(Nbf).isUndefined()) {
        const std::optional<qint64> nbf = numericDate(jwt.claim(Nbf));
        if (!nbf || *nbf > now + leeway) {
            return Failure{
                Reason::NotYetValid,
                nbf ? IdTokenValidator::tr(
                          "The ID token is not valid before %1, and this computer's clock says %2 "
                          "(%3 s of clock difference allowed).")
                          .arg(timeText(*nbf), timeText(now))
                          .arg(leeway)
                    : IdTokenValidator::tr("The ID token's \"nbf\" (not before) claim is not a valid time."),
                clockAction()};
        }
    }
    claims->exp = QDateTime::fromSecsSinceEpoch(*exp, Qt::UTC);
    claims->iat = QDateTime::fromSecsSinceEpoch(*iat, Qt::UTC);
    if (const std::optional<qint64> authTime = numericDate(jwt.claim(AuthTime)))
        claims->authTime = QDateTime::fromSecsSinceEpoch(*authTime, Qt::UTC);
    return std::nullopt;
}

std::optional<Failure> checkMaxAge(const IdTokenValidator::ValidationContext &ctx, qint64 now,
                                   const IdTokenClaims &claims)
{
    if (!ctx.maxAge)
        return std::nullopt;
    if (!claims.authTime.isValid()) {
        return Failure{
            Reason::AuthTimeMissing,
            IdTokenValidator::tr(
                "The sign-in asked for a recent authentication (max_age), but the ID token has "
                "no valid authentication time (\"auth_time\" claim)."),
            IdTokenValidator::tr("Sign in again. If this keeps happening, contact the Auth0 tenant's "
                                 "administrator.")};
    }
    const qint64 authTime = claims.authTime.toSecsSinceEpoch();
    const qint64 maxAge = ctx.maxAge->count();
    const qint64 leeway = ctx.leeway.count();
    if (now > authTime + maxAge + leeway) {
        return Failure{Reason::AuthTimeTooOld,
                       IdTokenValidator::tr(
                           "You last entered your credentials at %1, more than the allowed %2 s (plus %3 s "
                           "of clock difference) before now (%4).")
                           .arg(timeText(authTime))
                           .arg(maxAge)
                           .arg(leeway)
                           .arg(timeText(now)),
                       IdTokenValidator::tr(
                           "Sign in again, entering your credentials. If this keeps happening, make sure "
                           "this computer's clock is right.")};
    }
    return std::nullopt;
}

std::optional<Failure> checkOrganization(const IdTokenValidator::ValidationContext &ctx,
                                         const IdTokenClaims &claims)
{
    if (!ctx.organization || ctx.organization->isEmpty())
        return std::nullopt;
    const QString &expected = *ctx.organization;
    const QString action =
        IdTokenValidator::tr("Check the organization in the profile and that your account is a member "
                             "of it, then sign in again.");
    // As Auth0's SDKs: an "org_" value is an organization ID, anything else its (lower-case) name.
    const bool byId = expected.startsWith(QLatin1String("org_"));
    const QString claimName = byId ? QStringLiteral("org_id") : QStringLiteral("org_name");
    const QString actual = byId ? claims.orgId : claims.orgName;
    if (actual.isEmpty()) {
        return Failure{
            Reason::OrganizationMissing,
            IdTokenValidator::tr("The sign-in asked for the organization %1, but the ID token names none (no "
                                 "\"%2\" claim).")
                .arg(quoted(expected), claimName),
            action};
    }
    const bool same = byId ? actual == expected : actual == expected.toLower();
    if (!same) {
        return Failure{
            Reason::OrganizationMismatch,
            IdTokenValidator::tr("The sign-in asked for the organization %1, but the ID token is for %2.")
                .arg(quoted(expected), quoted(actual)),
            action};
    }
    return std::nullopt;
}

} // namespace

IdTokenValidator::Result IdTokenValidator::validate(const QString &token, const ValidationContext &ctx)
{
    if (ctx.issuer.isEmpty() || ctx.clientId.isEmpty() || !ctx.jwks || ctx.leeway.count() < 0) {
        return fail({Reason::InvalidContext,
                     tr("Fedsync did not say which issuer, client ID and signing keys to expect."),
                     tr("This is a bug in Fedsync; please report it.")});
    }

    UserError parseError;
    const std::optional<Jwt> jwt = Jwt::parse(token, &parseError, ClaimNames);
    if (!jwt) {
        return fail({Reason::Malformed,
                     tr("The ID token is not a well-formed signed JWT.") + QLatin1Char(' ') + parseError.why,
                     tr("Sign in again. If this keeps happening, check that the profile points at the Auth0 "
                        "tenant.")},
                    parseError.code);
    }

    if (std::optional<Failure> failure = checkSignature(*jwt, ctx))
        return fail(*failure);

    IdTokenClaims claims;
    claims.payloadJson = jwt->payloadJson();
    claims.iss = jwt->claim(Iss).toString();
    claims.sub = jwt->claim(Sub).toString();
    claims.nonce = jwt->claim(Nonce).toString();
    claims.name = jwt->claim(Name).toString();
    claims.nickname = jwt->claim(Nickname).toString();
    claims.email = jwt->claim(Email).toString();
    const JsonMember &emailVerified = jwt->claim(EmailVerified);
    claims.emailVerified = emailVerified.toBool() || emailVerified.toString() == QLatin1String("true");
    claims.picture = jwt->claim(Picture).toString();
    claims.orgId = jwt->claim(OrgId).toString();
    claims.orgName = jwt->claim(OrgName).toString();

    const qint64 now = (ctx.now.isValid() ? ctx.now : ctx.clock.now()).toSecsSinceEpoch();

    if (std::optional<Failure> failure = checkIssuer(claims.iss, ctx.issuer))
        return fail(*failure);
    if (claims.sub.isEmpty()) {
        return fail({Reason::SubjectMissing,
                     tr("The ID token does not say who signed in (no \"sub\" claim)."),
                     tr("Sign in again. If this keeps happening, contact the Auth0 tenant's administrator: "
                        "a rule or action may be removing the claim.")});
    }
    if (std::optional<Failure> failure = checkAudience(*jwt, ctx.clientId, &claims.aud, &claims.azp))
        return fail(*failure);
    if (std::optional<Failure> failure = checkTimes(*jwt, ctx, now, &claims))
        return fail(*failure);
    if (ctx.nonce && !ctx.nonce->isEmpty()) {
        if (claims.nonce.isEmpty()) {
            return fail({Reason::NonceMissing,
                         tr("The ID token carries no nonce, but one was sent with this sign-in."),
                         tr("Start the sign-in again from Fedsync.")});
        }
        // The values stay out of the message: they are single-use secrets of this sign-in.
        if (claims.nonce != *ctx.nonce) {
            return fail(
                {Reason::NonceMismatch,
                 tr("The ID token's nonce does not match the one sent with this sign-in, so the token "
                    "belongs to another sign-in (it may have been replayed)."),
                 tr("Start the sign-in again from Fedsync.")});
        }
    }
    if (std::optional<Failure> failure = checkMaxAge(ctx, now, claims))
        return fail(*failure);
    if (std::optional<Failure> failure = checkOrganization(ctx, claims))
        return fail(*failure);

    qCDebug(lcOidc) << "ID token valid; expires" << claims.exp.toString(Qt::ISODate);
    Result result;
    result.claims = std::move(claims);
    return result;
}

QJsonObject IdTokenClaims::raw() const
{
    return QJsonDocument::fromJson(payloadJson).object();
}

QString IdTokenValidator::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::None:
        return QString();
    case Reason::InvalidContext:
        return QStringLiteral("invalid_context");
    case Reason::Malformed:
        return QStringLiteral("malformed");
    case Reason::AlgNone:
        return QStringLiteral("alg_none");
    case Reason::HS256:
        return QStringLiteral("hs256");
    case Reason::UnsupportedAlg:
        return QStringLiteral("unsupported_alg");
    case Reason::UnknownKid:
        return QStringLiteral("unknown_kid");
    case Reason::UnusableKey:
        return QStringLiteral("unusable_key");
    case Reason::AmbiguousKey:
        return QStringLiteral("ambiguous_key");
    case Reason::BadSignature:
        return QStringLiteral("bad_signature");
    case Reason::IssuerMissing:
        return QStringLiteral("iss_missing");
    case Reason::IssuerMismatch:
        return QStringLiteral("iss_mismatch");
    case Reason::SubjectMissing:
        return QStringLiteral("sub_missing");
    case Reason::AudienceMissing:
        return QStringLiteral("aud_missing");
    case Reason::AudienceMismatch:
        return QStringLiteral("aud_mismatch");
    case Reason::AzpMissing:
        return QStringLiteral("azp_missing");
    case Reason::AzpMismatch:
        return QStringLiteral("azp_mismatch");
    case Reason::ExpMissing:
        return QStringLiteral("exp_missing");
    case Reason::Expired:
        return QStringLiteral("expired");
    case Reason::IatMissing:
        return QStringLiteral("iat_missing");
    case Reason::IssuedInFuture:
        return QStringLiteral("iat_future");
    case Reason::NotYetValid:
        return QStringLiteral("nbf");
    case Reason::NonceMissing:
        return QStringLiteral("nonce_missing");
    case Reason::NonceMismatch:
        return QStringLiteral("nonce_mismatch");
    case Reason::AuthTimeMissing:
        return QStringLiteral("auth_time_missing");
    case Reason::AuthTimeTooOld:
        return QStringLiteral("auth_time_too_old");
    case Reason::OrganizationMissing:
        return QStringLiteral("org_missing");
    case Reason::OrganizationMismatch:
        return QStringLiteral("org_mismatch");
    }
    return QStringLiteral("unknown");
}

} // namespace fedsync
