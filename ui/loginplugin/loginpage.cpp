#include "loginpage.h"

#include "log/logcategories.h"
#include "net/certificatetrust.h"
#include "net/networkcontext.h"

#include <QDesktopServices>
#include <QWebEngineCertificateError>

namespace fedsync::ui {
namespace {
// A page that exists only to learn where a popup wanted to go, then hands that to the system browser.
class PopupCatcher final : public QWebEnginePage
{
public:
    using QWebEnginePage::QWebEnginePage;

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType, bool) override
    {
        if (url.scheme() == QStringLiteral("https") || url.scheme() == QStringLiteral("http"))
            QDesktopServices::openUrl(url);
        deleteLater();
        return false;
    }
};
} // namespace

LoginPage::LoginPage(QWebEngineProfile *profile, RedirectMatcher isRedirect, QString caFile, QStringList caHosts,
                     QObject *parent)
    : QWebEnginePage(profile, parent)
    , m_isRedirect(std::move(isRedirect))
    , m_caFile(std::move(caFile))
    , m_caHosts(std::move(caHosts))
{
    connect(this, &QWebEnginePage::certificateError, this, &LoginPage::onCertificateError);
}

bool LoginPage::acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame)
{
    if (m_isRedirect(url)) {
        Q_EMIT redirectCaught(url);
        return false; // never load the redirect target: the code is ours alone
    }
    if (url.scheme() == QStringLiteral("https") || url.scheme() == QStringLiteral("data") ||
        url.scheme() == QStringLiteral("about") ||
        (url.scheme() == QStringLiteral("http") && NetworkContext::isLoopbackHost(url.host())))
        return QWebEnginePage::acceptNavigationRequest(url, type, isMainFrame);
    qCWarning(lcUi) << "Blocked navigation to" << url.toDisplayString(QUrl::RemoveQuery);
    if (isMainFrame)
        Q_EMIT navigationBlocked(url);
    return false;
}

QWebEnginePage *LoginPage::createWindow(WebWindowType)
{
    return new PopupCatcher(profile(), this);
}

void LoginPage::onCertificateError(const QWebEngineCertificateError &error)
{
    QWebEngineCertificateError decision = error;
    const QString why =
        CertificateTrust::verifyAgainstCaFile(error.certificateChain(), error.url().host(), m_caFile, m_caHosts);
    if (!m_caFile.isEmpty() && why.isEmpty()) {
        qCInfo(lcUi) << "Certificate of" << error.url().host() << "verified against the profile's CA file";
        decision.acceptCertificate();
        return;
    }
    decision.rejectCertificate();
    if (!m_caFile.isEmpty())
        qCInfo(lcUi) << "Certificate of" << error.url().host() << "refused:" << why;
    Q_EMIT certificateRefused(error.url(), error.description());
}

} // namespace fedsync::ui
