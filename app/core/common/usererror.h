// An error as a person reads it: what happened, why, and what to do next. Every failure that can
// reach a user (a dialog, a banner, the CLI's stderr) is one of these. `code` is stable and for
// programs and tests ("oidc.hs256", "aws.NotAuthorizedException"...); the texts are translated.
#pragma once

#include <QMetaType>
#include <QString>

namespace fedsync {

struct UserError
{
    QString code;    // stable identifier, e.g. "oidc.token.expired"
    QString what;    // what happened, one sentence
    QString why;     // the cause as far as known (may be empty)
    QString action;  // what the user should do next (may be empty)
    QString details; // technical detail for the "details" disclosure (already redacted)

    bool isError() const { return !code.isEmpty(); }
    // "what why action" as one paragraph, for the CLI and log lines.
    QString text() const;

    static UserError make(QString code, QString what, QString why = {}, QString action = {},
                          QString details = {});
};

} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::UserError)
