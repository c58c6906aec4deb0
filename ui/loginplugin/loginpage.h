// The embedded browser page for one sign-in: catches the redirect to Fedsync before it loads (loopback
// http, or the custom scheme through RedirectSchemeHandler), allows only https navigation (loopback
// aside), sends popups and target=_blank links to the system browser, and decides certificate errors:
// refused, unless the chain verifies against the profile's own CA file.
#pragma once

#include <QStringList>
#include <QWebEnginePage>

#include <functional>

namespace fedsync::ui {

class LoginPage final : public QWebEnginePage
{
    Q_OBJECT
public:
    using RedirectMatcher = std::function<bool(const QUrl &)>;

    LoginPage(QWebEngineProfile *profile, RedirectMatcher isRedirect, QString caFile, QStringList caHosts,
              QObject *parent = nullptr);

Q_SIGNALS:
    void redirectCaught(const QUrl &url);
    void navigationBlocked(const QUrl &url);
    void certificateRefused(const QUrl &url, const QString &why);

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame) override;
    QWebEnginePage *createWindow(WebWindowType type) override;

private:
    void onCertificateError(const QWebEngineCertificateError &error);

    RedirectMatcher m_isRedirect;
    QString m_caFile;
    QStringList m_caHosts; // the hosts the profile names: the only ones its CA vouches for
};

} // namespace fedsync::ui
