// Redaction of secrets for logs, traces and error texts: a token becomes its first characters plus its
// length ("eyJhbG…(812 chars)"), enough to tell two tokens apart, never enough to use one.
#pragma once

#include <QString>
#include <QStringView>

namespace fedsync {

// First 6 characters + length for a long secret; fewer characters for a short one (a quarter of it at
// most), none for a secret of 8 characters or less. Empty in, "(empty)" out.
QString redact(QStringView secret);
QString redact(const QByteArray &secret);

// Only the length ("…(812 chars)"): for secrets whose first characters must not leak either (refresh
// tokens, authorization codes, session tokens, signatures).
QString redactLength(QStringView secret);

// True for HTTP headers whose value is a credential: Authorization, Proxy-Authorization, Cookie,
// Set-Cookie, X-Amz-Security-Token, and any name with "token", "secret", "password", "api-key" or
// "signature" in it.
bool isCredentialHeader(QByteArrayView name);

// A header value as it may be printed: a credential header's value is replaced by its length, except an
// AWS SigV4 Authorization value, which keeps its algorithm, Credential scope and SignedHeaders (what a
// reader needs to debug a signature) and loses only the Signature.
QString printableHeaderValue(QByteArrayView name, QByteArrayView value);

// A SigV4 canonical request as it may be printed: credential header lines and the X-Amz-Security-Token /
// X-Amz-Signature query parameters redacted, everything else kept.
QString printableCanonicalRequest(const QByteArray &canonicalRequest);

// Defence in depth for free text (log lines, server error bodies): replaces anything that looks like a
// JWT, an AWS secret/session token, or a "token"/"secret"/"password"-named JSON or form value by its
// redacted form. Explicit redact() at the call site is still the rule.
QString scrubSecrets(const QString &text);

} // namespace fedsync
