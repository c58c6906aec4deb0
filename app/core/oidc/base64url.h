// Base64url (RFC 4648 §5), the encoding of JWT parts, JWK numbers and PKCE values. Decoding is strict:
// anything outside the URL-safe alphabet is an error rather than something silently skipped, so a
// damaged token is reported as damaged instead of failing later in a confusing way.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

#include <optional>

namespace fedsync::Base64Url {

// Unpadded base64url, as JOSE and PKCE require.
QByteArray encode(QByteArrayView data);

// Accepts padded and unpadded input. Rejects characters outside [A-Za-z0-9_-], '=' anywhere but at the
// end, a length that cannot come from an encoder, and non-zero unused bits in the last character.
std::optional<QByteArray> decode(QByteArrayView text);
std::optional<QByteArray> decode(QStringView text);

} // namespace fedsync::Base64Url
