// The stable codes of UserError (common/usererror.h) that programs compare: one name per code, so a
// branch on a code names a constant instead of repeating a string. The values are the strings tests
// and scripts already see; add a code here when code outside its origin has to tell it apart.
#pragma once

#include <QLatin1StringView>
#include <QString>

#include <array>
#include <initializer_list>

namespace fedsync::errorcode {

// Sessions and profiles
inline constexpr QLatin1StringView SessionNone{"session.none"}; // nobody signed in (or signed out)
inline constexpr QLatin1StringView NoProfile{"profile.none"};       // no profile selected (ProfileSelection)
inline constexpr QLatin1StringView UnknownProfile{"profile.unknown"}; // the named profile does not exist
inline constexpr QLatin1StringView Usage{"cli.usage"};          // a bad command line (the CLI)

// Sign-in
inline constexpr QLatin1StringView OidcTokenUnavailable{"oidc.token.unavailable"}; // token endpoint down
inline constexpr QLatin1StringView OidcTokenMalformed{"oidc.token.malformed"};     // an unreadable answer
inline constexpr QLatin1StringView OidcTokenInvalidGrant{"oidc.token.invalid_grant"}; // refresh token refused
inline constexpr QLatin1StringView LoginCertificate{"ui.login.certificate"}; // the login page's TLS failed
inline constexpr QLatin1StringView CognitoNotConfigured{"cognito.not_configured"}; // profile has no AWS side

// AWS calls
inline constexpr QLatin1StringView AwsCancelled{"aws.cancelled"}; // the caller cancelled the call

// Datasets
inline constexpr QLatin1StringView SyncDatasetMissing{"sync.dataset.missing"};
inline constexpr QLatin1StringView MigrateCancelled{"migrate.cancelled"};
// This device does not know the signed-in user's Cognito identity yet (a sign-in fetches it).
inline constexpr QLatin1StringView SyncIdentityUnknown{"sync.identity.unknown"};

// Transport failures (net/httpjob.cpp): the service could not be reached, nothing was answered.
inline constexpr QLatin1StringView NetTimeout{"net.timeout"};
inline constexpr QLatin1StringView NetRefused{"net.refused"};
inline constexpr QLatin1StringView NetDns{"net.dns"};
inline constexpr QLatin1StringView NetClosed{"net.closed"};
inline constexpr QLatin1StringView NetFailed{"net.failed"};
// Not transport failures: the certificate was refused, or the address is not allowed (https only).
inline constexpr QLatin1StringView NetTls{"net.tls"};
inline constexpr QLatin1StringView NetRefusedUrl{"net.refused_url"};

inline constexpr std::array<QLatin1StringView, 5> NetTransport{NetTimeout, NetRefused, NetDns, NetClosed,
                                                               NetFailed};

// True when `code` is one of `codes` (a list above, or a braced list of constants).
template<typename Codes> bool isOneOf(const QString &code, const Codes &codes)
{
    for (const QLatin1StringView candidate : codes)
        if (code == candidate)
            return true;
    return false;
}
inline bool isOneOf(const QString &code, std::initializer_list<QLatin1StringView> codes)
{
    return isOneOf<std::initializer_list<QLatin1StringView>>(code, codes);
}

} // namespace fedsync::errorcode
