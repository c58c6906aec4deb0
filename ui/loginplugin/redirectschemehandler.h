// Catches the custom-scheme redirect (org.fedsync.app://callback?code=…) inside the embedded browser.
// The scheme itself must be registered before QApplication exists: registerSchemes() in main().
#pragma once

#include <QWebEngineUrlSchemeHandler>

namespace fedsync::ui {

class RedirectSchemeHandler final : public QWebEngineUrlSchemeHandler
{
    Q_OBJECT
public:
    static constexpr char scheme[] = "org.fedsync.app";
    // Call once, before the QApplication is created.
    static void registerSchemes();

    using QWebEngineUrlSchemeHandler::QWebEngineUrlSchemeHandler;
    void requestStarted(QWebEngineUrlRequestJob *job) override;

Q_SIGNALS:
    void redirectCaught(const QUrl &url);
};

} // namespace fedsync::ui
