#include "loginwindow.h"
#include "common/errorcodes.h"

#include "config/profile.h"
#include "config/profilehosts.h"
#include "log/logcategories.h"
#include "loginpage.h"
#include "redirectschemehandler.h"
#include "session/signinpageflow.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QShortcut>
#include <QVBoxLayout>
#include <QWebEngineLoadingInfo>
#include <QWebEngineProfile>
#include <QWebEngineView>

namespace fedsync::ui {

LoginWindow::LoginWindow(SignInPageFlow *flow, const Profile &profile, const UserError &explanation,
                         QWidget *parent)
    : LoginDialog(parent)
    , m_flow(flow)
    , m_redirectUri(QUrl(profile.auth0.redirectUri))
    , m_caFile(profile.caFile)
    , m_caHosts(hostsNamedBy(profile))
    , m_banner(new QLabel(this))
    , m_retry(new QPushButton(tr("Try again"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("loginWindow"));
    setWindowTitle(tr("Sign in to %1").arg(profile.name.isEmpty() ? profile.auth0.domain : profile.name));
    fitToScreen();

    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setWordWrap(true);
    m_banner->setVisible(false);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setTextFormat(Qt::PlainText); // error texts and host names from servers
    m_status->setTextFormat(Qt::PlainText);
    m_retry->setVisible(false);
    connect(m_retry, &QPushButton::clicked, this, &LoginWindow::start);
    m_progress->setRange(0, 100);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(4);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &LoginWindow::reject);
    // Escape cancels even while the page has the keyboard (the page keeps the keys it gets, so QDialog
    // never sees this one).
    auto *escape = new QShortcut(QKeySequence::Cancel, this);
    connect(escape, &QShortcut::activated, this, &LoginWindow::reject);

    auto *bannerRow = new QHBoxLayout;
    bannerRow->addWidget(m_banner, 1);
    bannerRow->addWidget(m_retry);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 8);
    layout->addLayout(bannerRow);
    layout->addWidget(m_progress);
    layout->setObjectName(QStringLiteral("loginLayout"));
    // The view is inserted here by start().
    layout->addLayout(bottom);

    if (explanation.isError())
        showBanner(explanation.text(), false);

    connect(m_flow, &SignInPageFlow::authorizationUrlReady, this, [this](const QUrl &url) {
        m_requestedUrl = url;
        m_status->setText(tr("Loading the sign-in page…"));
        m_page->load(url);
    });
    connect(m_flow, &SignInPageFlow::exchanging, this, [this] {
        m_status->setText(tr("Completing the sign-in…"));
        m_progress->setRange(0, 0);
    });
    connect(m_flow, &SignInPageFlow::failed, this, &LoginWindow::onFailed);
    connect(m_flow, &SignInPageFlow::succeeded, this, &QDialog::accept);
}

LoginWindow::~LoginWindow()
{
    // The page must go before its profile.
    delete m_view;
    delete m_page;
    delete m_profile;
}

void LoginWindow::start()
{
    m_retry->setVisible(false);
    m_lastError = {};
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    if (!m_profile) {
        m_profile = new QWebEngineProfile(this); // no storage name: off the record, gone with this window
        m_profile->setHttpCacheType(QWebEngineProfile::MemoryHttpCache);
        m_profile->setPersistentCookiesPolicy(QWebEngineProfile::NoPersistentCookies);
        if (m_redirectUri.scheme() == QLatin1String(RedirectSchemeHandler::scheme)) {
            auto *handler = new RedirectSchemeHandler(m_profile);
            m_profile->installUrlSchemeHandler(RedirectSchemeHandler::scheme, handler);
            connect(handler, &RedirectSchemeHandler::redirectCaught, m_flow, &SignInPageFlow::handleRedirect);
        }
        m_page = new LoginPage(
            m_profile, [flow = m_flow](const QUrl &url) { return flow->isRedirect(url); }, m_caFile,
            m_caHosts);
        connect(m_page, &LoginPage::redirectCaught, m_flow, &SignInPageFlow::handleRedirect);
        connect(m_page, &LoginPage::certificateRefused, this, [this](const QUrl &url, const QString &why) {
            onFailed(UserError::make(
                QStringLiteral("ui.login.certificate"),
                tr("The sign-in page at %1 was blocked: its certificate is not trusted").arg(url.host()), why,
                tr("Check the computer's date and time and the profile's CA file. Fedsync "
                   "never shows a page whose certificate it cannot verify")));
        });
        connect(m_page, &LoginPage::navigationBlocked, this, [this](const QUrl &url) {
            showBanner(tr("Fedsync blocked a page that is not https: %1")
                           .arg(url.toDisplayString(QUrl::RemoveQuery)),
                       true);
        });
        connect(m_page, &QWebEnginePage::loadProgress, m_progress, &QProgressBar::setValue);
        connect(m_page, &QWebEnginePage::loadingChanged, this, &LoginWindow::onLoadingChanged);
        m_view = new QWebEngineView(this);
        m_view->setPage(m_page);
        auto *layout = qobject_cast<QVBoxLayout *>(this->layout());
        layout->insertWidget(2, m_view, 1);
        // Keyboard first: typing goes to the page (its autofocus field), not to the Cancel button. The
        // view is shown now (a widget added to a visible dialog is shown later) so that it can take the
        // focus.
        m_view->show();
        m_view->setFocus();
    }
    m_flow->start(m_redirectUri);
}

void LoginWindow::onLoadingChanged(const QWebEngineLoadingInfo &info)
{
    if (info.status() == QWebEngineLoadingInfo::LoadStartedStatus)
        return;
    // An HTTP error status (the provider's own "wrong password" page, say) still shows the provider's
    // page: only a page that never arrived is replaced by Fedsync's explanation.
    const bool arrived = info.status() == QWebEngineLoadingInfo::LoadSucceededStatus ||
                         info.errorDomain() == QWebEngineLoadingInfo::HttpStatusCodeDomain;
    Q_EMIT pageLoaded(arrived);
    if (arrived) {
        m_status->setText(info.url().host());
        if (m_lastError.isError())
            m_retry->setFocus(); // Fedsync's error page: Return tries again, Escape cancels
        else if (!m_view->hasFocus())
            m_view->setFocus(); // each page arrives ready for typing
        return;
    }
    if (info.status() == QWebEngineLoadingInfo::LoadStoppedStatus || m_lastError.isError() ||
        !m_flow->isBusy() || info.url().scheme() == QStringLiteral("data"))
        return; // cancelled, the redirect was caught, or an error is already on screen
    onFailed(UserError::make(QStringLiteral("ui.login.unreachable"),
                             tr("The sign-in page at %1 could not be loaded").arg(m_requestedUrl.host()),
                             info.errorString().isEmpty()
                                 ? tr("The provider did not answer (no network, or the address is wrong)")
                                 : info.errorString(),
                             tr("Check your connection and the profile's Auth0 domain, then try again")));
}

void LoginWindow::onFailed(const UserError &error)
{
    m_lastError = error;
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_status->clear();
    showBanner(error.text(), true);
    m_retry->setVisible(true);
    m_retry->setFocus();
    if (m_page && error.code != errorcode::LoginCertificate) {
        const QString html =
            QStringLiteral(
                "<!doctype html><html><body style=\"font-family:sans-serif;color:#374151;padding:2em\">"
                "<h2>%1</h2><p>%2</p><p>%3</p></body></html>")
                .arg(error.what.toHtmlEscaped(), error.why.toHtmlEscaped(), error.action.toHtmlEscaped());
        m_page->setHtml(html);
    }
}

void LoginWindow::fitToScreen()
{
    // The provider's page is laid out for about 480x680. A smaller screen (800x600, a laptop with a
    // panel) gets the room it has, less a window manager's title bar and frame (not known before the
    // window is shown), so that Cancel stays on screen; the page scrolls inside.
    constexpr QSize preferred(480, 680);
    constexpr QSize smallest(320, 360);
    constexpr QSize decoration(16, 48);
    const QSize room = screen()->availableGeometry().size() - decoration;
    setMinimumSize(smallest.boundedTo(room));
    resize(preferred.boundedTo(room).expandedTo(minimumSize()));
}

void LoginWindow::showBanner(const QString &text, bool isError)
{
    m_banner->setText(text);
    m_banner->setStyleSheet(isError ? QStringLiteral("background:#fee2e2;color:#7f1d1d;padding:8px")
                                    : QStringLiteral("background:#e0f2fe;color:#0c4a6e;padding:8px"));
    m_banner->setVisible(true);
}

QString LoginWindow::bannerText() const
{
    return m_banner->isVisible() ? m_banner->text() : QString();
}

void LoginWindow::runJavaScript(const QString &script, const std::function<void(const QVariant &)> &done)
{
    if (m_page)
        m_page->runJavaScript(script, done);
}

void LoginWindow::reject()
{
    m_flow->cancel();
    QDialog::reject();
}

} // namespace fedsync::ui
