// One signed-in session as the keychain keeps it (format v2): the refresh token, and the cached ID
// token and AWS credentials, bound to the issuer, client id and subject they were issued for. The
// binding is in the value and in the key ("v2/<namespace>/<profile>/<binding>/session"), so a profile
// that names another provider finds nothing, and a value found under a key is checked again before use.
// Namespaces keep profiles loaded with --profile-file apart from saved profiles of the same id.
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace fedsync {

struct Profile;

// Who a stored secret belongs to: the provider (issuer + client id) and the user (sub).
struct SessionBinding
{
    QString issuer;
    QString clientId;
    QString subject;

    bool isComplete() const { return !issuer.isEmpty() && !clientId.isEmpty() && !subject.isEmpty(); }
    // First 32 hex digits of sha256(issuer "\n" client_id "\n" sub).
    QString hash() const;
    friend bool operator==(const SessionBinding &, const SessionBinding &) = default;
};

// AWS credentials cached with the session (the #13 cache), for the pool they came from.
struct CachedAwsCredentials
{
    QString pool;
    QString scope; // what else picks the role (flow, role ARNs, provider name), hashed by the provider
    QString identityId;
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;
    QDateTime expiration;
    QDateTime issued; // when they were obtained; invalid in entries written before it was kept

    bool isEmpty() const { return accessKeyId.isEmpty(); }
    void wipe();
};

class SessionEntry final
{
public:
    static constexpr int Version = 2;

    SessionBinding binding;
    QString refreshToken;
    QString idToken;          // optional cache
    QDateTime idTokenExpires; // id_token_exp
    CachedAwsCredentials aws; // optional cache

    // "saved" for saved profiles, "file-<16 hex of sha256(canonical absolute path)>" for --profile-file.
    static QString namespaceFor(const Profile &profile);
    // "v2/<namespace>/<profile id>/<binding hash>/session".
    static QString keyFor(const Profile &profile, const SessionBinding &binding);
    // The format-1 key ("<profile>/<sub>/tokens"), only to find and drop old entries.
    static QString legacyKeyFor(const QString &profileId, const QString &subject);

    // Compact JSON, as agreed:
    // {"v":2,"iss","client_id","sub","refresh_token","id_token","id_token_exp","aws"}.
    QByteArray encode() const;
    // Nullopt with `error` when the value is not a v2 entry or lacks its binding.
    static std::optional<SessionEntry> decode(const QByteArray &value, UserError *error);

    // Empty when the entry belongs to `expected`; otherwise says why it is not used (never sent).
    UserError checkBinding(const SessionBinding &expected) const;

    void wipe();
};

} // namespace fedsync
