// The pipe between Fedsync and its sign-in page process (`fedsync --sign-in-page`, see
// relayedsigninflow.h and signinpageprocess.h): one JSON object per line, UTF-8.
//
// To the page: "hello" (the profile, as a profile file holds it, why a sign-in is needed, and the native id
// of the app's window, which the page's window stays above), "open"
// (the authorization URL), "exchanging", "succeeded", "failed" (the error). From the page: "start" (the
// redirect URI the window listens for), "redirect" (the URL the provider redirected to), "loaded"
// (whether the page arrived), "cancel", "failed" (the page cannot be shown). Nothing secret crosses it: the authorization code in the redirect
// is useless without the PKCE verifier, which never leaves the app; tokens stay in the app.
#pragma once

#include "common/usererror.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace fedsync::signinpage {

// Longest line either side accepts (a profile is at most 1 MiB, an authorization URL a few KiB).
inline constexpr qsizetype MaxLine = 2 * 1024 * 1024;

namespace kind {
inline const QString Hello = QStringLiteral("hello");
inline const QString Open = QStringLiteral("open");
inline const QString Exchanging = QStringLiteral("exchanging");
inline const QString Succeeded = QStringLiteral("succeeded");
inline const QString Failed = QStringLiteral("failed");
inline const QString Start = QStringLiteral("start");
inline const QString Redirect = QStringLiteral("redirect");
inline const QString Loaded = QStringLiteral("loaded");
inline const QString Cancel = QStringLiteral("cancel");
} // namespace kind

struct Message
{
    QString type;
    QJsonObject fields;
};

// One line: {"type": type, ...fields}\n
QByteArray encode(const QString &type, QJsonObject fields = {});

QJsonObject errorToJson(const UserError &error);
UserError errorFromJson(const QJsonObject &object);

// Splits what arrives on the pipe into messages. A line that is too long or not a JSON object ends the
// conversation (broken() is set): the other side is not Fedsync, or is broken.
class LineReader
{
public:
    void append(const QByteArray &bytes);
    std::optional<Message> next();
    bool broken() const { return m_broken; }

private:
    QByteArray m_pending;
    bool m_broken = false;
};

} // namespace fedsync::signinpage
