#include "scriptedbrowser.h"

#include <QEventLoop>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

namespace fedsync::test {

ScriptedBrowser::ScriptedBrowser(const QString &caFile)
    : m_caFile(caFile)
{
    m_nam.setCookieJar(new QNetworkCookieJar(&m_nam));
}

ScriptedBrowser::Answer ScriptedBrowser::send(const QUrl &url, const QByteArray &form)
{
    QNetworkRequest request(url);
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates(ssl.caCertificates() + QSslCertificate::fromPath(m_caFile));
    request.setSslConfiguration(ssl);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = nullptr;
    if (form.isNull()) {
        reply = m_nam.get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/x-www-form-urlencoded"));
        reply = m_nam.post(request, form);
    }
    QEventLoop loop; // test plumbing only
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray location = reply->rawHeader("Location");
    if (!location.isEmpty())
        answer.location = url.resolved(QUrl::fromEncoded(location));
    answer.body = reply->readAll();
    reply->deleteLater();
    return answer;
}

QUrl ScriptedBrowser::login(const QUrl &startUrl, const QString &username, const QString &password)
{
    QUrl authorizeUrl = startUrl;
    if (startUrl.scheme() == QStringLiteral("http")) {
        // The app's one-time local address (LoopbackReceiver::startUrlFor): it redirects to the provider.
        const Answer start = send(startUrl);
        if (!start.location.isValid())
            return {};
        authorizeUrl = start.location;
    }
    const QString providerHost = authorizeUrl.host();
    const int providerPort = authorizeUrl.port();
    QUrl url = authorizeUrl;
    QByteArray form;
    bool posted = false;
    for (int hop = 0; hop < 20; ++hop) {
        const Answer answer = send(url, form);
        form = QByteArray();
        if (answer.location.isValid()) {
            if (answer.location.host() != providerHost || answer.location.port() != providerPort ||
                answer.location.scheme() != QStringLiteral("https"))
                return answer.location; // left the provider: the app's redirect
            url = answer.location;
            continue;
        }
        m_lastPage = answer.body;
        if (answer.status == 200 && answer.body.contains("id=\"login-form\"") && !posted) {
            form = "username=" + QUrl::toPercentEncoding(username) + "&password=" + QUrl::toPercentEncoding(password) +
                   "&action=default";
            posted = true;
            continue; // POST to the same URL (the form has no action)
        }
        return {};
    }
    return {};
}

int ScriptedBrowser::get(const QUrl &url)
{
    const Answer answer = send(url);
    m_lastPage = answer.body;
    return answer.status;
}

} // namespace fedsync::test
