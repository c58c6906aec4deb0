// Decides whether an ID token can be trusted, with the rules of Auth0's own SDKs: RS256 only, the
// signature checked against the tenant's JWKS, then issuer, subject, audience, authorized party, expiry,
// issue time, not-before, nonce, auth_time against max_age, and organization. Pure: no network, no
// clock of its own (the context says what "now" is, or which Clock to read), no state. Every failure is a UserError naming the
// exact check, never quoting the token.
#pragma once

#include "common/clock.h"
#include "common/usererror.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace fedsync {

class Jwks;

// The claims of a validated ID token. Times are UTC; authTime is null when the token has none.
struct IdTokenClaims
{
    QString sub;
    QString iss;
    QStringList aud;
    QString azp;
    QDateTime exp;
    QDateTime iat;
    QDateTime authTime;
    QString nonce;
    QString name;
    QString nickname;
    QString email;
    bool emailVerified = false;
    QString picture;
    QString orgId;
    QString orgName;
    QByteArray payloadJson; // the whole payload as signed, for claims not listed here: raw() reads it
    QJsonObject raw() const;
};

class IdTokenValidator final
{
    Q_DECLARE_TR_FUNCTIONS(IdTokenValidator)

public:
    struct ValidationContext
    {
        QString issuer;   // the discovery document's issuer, compared exactly: "https://{domain}/"
        QString clientId; // the Auth0 application's client ID
        const Jwks *jwks = nullptr;
        std::optional<QString> nonce;               // when one was sent with /authorize
        std::optional<std::chrono::seconds> maxAge; // when max_age was sent with /authorize
        std::optional<QString> organization;        // "org_…" id or organization name, when one was asked
        QDateTime now;                              // invalid: clock.now()
        Clock clock;                                // the system clock unless a test sets one
        std::chrono::seconds leeway{60};            // allowed clock difference, as Auth0's SDKs
    };

    // Error codes are "oidc.idtoken.<name>", names as in reasonName().
    enum class Reason {
        None,
        InvalidContext, // the caller left out the issuer, client ID or key set
        Malformed,      // not a compact JWS with JSON object header and payload
        AlgNone,
        HS256,
        UnsupportedAlg,
        // The token's kid is not in the key set. The tenant may have rotated its keys since the set was
        // fetched: the caller refetches the JWKS once and validates again, and only then reports this.
        UnknownKid,
        UnusableKey,  // the kid names a key the JWKS holds but Fedsync refuses (too short, not RS256, ...)
        AmbiguousKey, // no kid, and the key set holds more than one key
        BadSignature,
        IssuerMissing,
        IssuerMismatch,
        SubjectMissing,
        AudienceMissing,
        AudienceMismatch,
        AzpMissing,
        AzpMismatch,
        ExpMissing,
        Expired,
        IatMissing,
        IssuedInFuture,
        NotYetValid, // nbf
        NonceMissing,
        NonceMismatch,
        AuthTimeMissing,
        AuthTimeTooOld,
        OrganizationMissing,
        OrganizationMismatch,
    };

    struct Result
    {
        std::optional<IdTokenClaims> claims; // set exactly when the token is valid
        Reason reason = Reason::None;
        UserError error;

        bool isValid() const { return reason == Reason::None && claims.has_value(); }
    };

    static Result validate(const QString &token, const ValidationContext &ctx);
    static QString reasonName(Reason reason); // "unknown_kid", "hs256", ...

    IdTokenValidator() = delete;
};

} // namespace fedsync
