#include "redirectschemehandler.h"

#include <QWebEngineUrlRequestJob>
#include <QWebEngineUrlScheme>

namespace fedsync::ui {

void RedirectSchemeHandler::registerSchemes()
{
    // Path syntax and no LocalScheme flag: a provider's 302 to it must be allowed (see ENVIRONMENT.md).
    QWebEngineUrlScheme custom(scheme);
    custom.setSyntax(QWebEngineUrlScheme::Syntax::Path);
    custom.setFlags(QWebEngineUrlScheme::SecureScheme);
    QWebEngineUrlScheme::registerScheme(custom);
}

void RedirectSchemeHandler::requestStarted(QWebEngineUrlRequestJob *job)
{
    const QUrl url = job->requestUrl();
    job->fail(QWebEngineUrlRequestJob::RequestAborted); // nothing is loaded; the window takes over
    Q_EMIT redirectCaught(url);
}

} // namespace fedsync::ui
