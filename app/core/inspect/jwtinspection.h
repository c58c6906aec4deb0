// A JWT taken apart for people (the JWT view, the flow inspector, the setup doctor): header and claims,
// dates in words with the time left, and each check on its own line (signature and the JWKS kid, iss,
// aud/azp, nonce, exp), so one failure does not hide the others. Offline: the key set is passed in.
// Whether the app trusts a token is still IdTokenValidator's decision; this only explains.
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace fedsync {

class Jwks;

struct JwtCheck
{
    enum class Outcome { Pass, Fail, Skipped };
    QString id; // "signature", "iss", "aud", "nonce", "exp"
    Outcome outcome = Outcome::Skipped;
    QString detail;

    QJsonObject toJson() const;
    static QString outcomeName(Outcome outcome); // "pass", "fail", "skipped"
};

struct JwtInspection
{
    bool decoded = false;
    QString error; // why it could not be decoded
    QJsonObject header;
    QJsonObject claims;
    QString algorithm;
    QString keyId;
    // "exp 2026-11-30 14:05:00 UTC (in 9 h 58 min)" for exp, iat, nbf, auth_time.
    QList<QPair<QString, QString>> dates;
    QList<JwtCheck> checks;

    bool allPassed() const;
    const JwtCheck *check(const QString &id) const;
    QJsonObject toJson() const;
};

class JwtInspector final
{
    Q_DECLARE_TR_FUNCTIONS(JwtInspector)

public:
    struct Expectations
    {
        QString issuer;   // empty: not checked
        QString clientId; // empty: not checked
        std::optional<QString> nonce;
        const Jwks *jwks = nullptr; // null: signature not checked
        QDateTime now;              // invalid: the current time
        qint64 leewaySeconds = 60;
    };

    static JwtInspection inspect(const QString &token, const Expectations &expect);
    // "in 9 h 58 min" / "2 d 3 h ago"
    static QString relative(const QDateTime &when, const QDateTime &now);
};

} // namespace fedsync
