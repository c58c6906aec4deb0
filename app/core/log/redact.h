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

// Defence in depth for free text (log lines, server error bodies): replaces anything that looks like a
// JWT, an AWS secret/session token, or a "token"/"secret"/"password"-named JSON or form value by its
// redacted form. Explicit redact() at the call site is still the rule.
QString scrubSecrets(const QString &text);

} // namespace fedsync
