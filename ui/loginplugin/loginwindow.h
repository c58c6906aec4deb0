// The embedded sign-in window: Auth0 Universal Login in a QWebEngineView on a private, off-the-record
// profile created for this sign-in only (WebEngine starts only when this window does). Shows load
// progress, a Cancel button, the provider's errors as messages, and a readable page when the provider
// cannot be reached. Closes with accept() once the session holds verified tokens. Part of the
// login-window plugin: only the plugin links WebEngine.
#pragma once

#include "common/usererror.h"
#include "logindialog.h"

#include <QStringList>
#include <QUrl>

class QLabel;
class QProgressBar;
class QPushButton;
class QWebEngineLoadingInfo;
class QWebEngineProfile;
class QWebEngineView;

namespace fedsync {
class SignInPageFlow;
struct Profile;
} // namespace fedsync

namespace fedsync::ui {

class LoginPage;

class LoginWindow final : public LoginDialog
{
    Q_OBJECT
public:
    // `explanation`, when set, is shown above the page (e.g. why the silent sign-in did not work).
    LoginWindow(SignInPageFlow *flow, const Profile &profile, const UserError &explanation = {},
                QWidget *parent = nullptr);
    ~LoginWindow() override;

    // Starts the sign-in: builds the authorization URL and loads it.
    void start() override;

    LoginPage *page() const { return m_page; }
    QString bannerText() const override;
    const UserError &lastError() const override { return m_lastError; }
    void runJavaScript(const QString &script, const std::function<void(const QVariant &)> &done) override;

    // Cancel: stops the sign-in and closes.
    void reject() override;

private:
    // 480x680, or what the screen has room for.
    void fitToScreen();
    void showBanner(const QString &text, bool isError);
    void onFailed(const UserError &error);
    void onLoadingChanged(const QWebEngineLoadingInfo &info);

    SignInPageFlow *m_flow;
    QUrl m_redirectUri;
    QString m_caFile;
    QStringList m_caHosts;
    QLabel *m_banner;
    QPushButton *m_retry;
    QProgressBar *m_progress;
    QLabel *m_status;
    QWebEngineProfile *m_profile = nullptr;
    LoginPage *m_page = nullptr;
    QWebEngineView *m_view = nullptr;
    QUrl m_requestedUrl;
    UserError m_lastError;
};

} // namespace fedsync::ui
