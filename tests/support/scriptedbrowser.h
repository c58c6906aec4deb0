// A scripted browser for integration tests, HTTP only: follows the sandbox's redirects with a cookie jar,
// fills the Universal Login form, and stops at the first redirect that leaves the provider (the app's
// redirect URI). Real TLS, trusting the sandbox CA like the app does.
#pragma once

#include <QNetworkAccessManager>
#include <QUrl>

namespace fedsync::test {

class ScriptedBrowser
{
public:
    explicit ScriptedBrowser(const QString &caFile);

    // Opens `authorizeUrl`, logs in, and returns the URL the provider finally redirected to outside itself
    // (the redirect URI with code/state or error). Empty on failure, with lastPage() holding the HTML.
    QUrl login(const QUrl &authorizeUrl, const QString &username, const QString &password);
    // GET a URL (e.g. the loopback redirect), returning the HTTP status.
    int get(const QUrl &url);
    const QByteArray &lastPage() const { return m_lastPage; }

private:
    struct Answer
    {
        int status = 0;
        QUrl location;
        QByteArray body;
    };
    Answer send(const QUrl &url, const QByteArray &form = {});

    QNetworkAccessManager m_nam;
    QString m_caFile;
    QByteArray m_lastPage;
};

} // namespace fedsync::test
