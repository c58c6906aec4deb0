// The embedded sign-in window as the rest of the UI sees it. The window itself (Qt WebEngine) lives in a
// plugin loaded on demand (loginwindowloader.h), so a start that needs no page maps no WebEngine, Quick
// or QML library. This header links nothing of WebEngine.
#pragma once

#include "common/usererror.h"

#include <QDialog>
#include <QtPlugin>

#include <functional>

class QVariant;

namespace fedsync {
class SignInPageFlow;
struct Profile;
} // namespace fedsync

namespace fedsync::ui {

class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    using QDialog::QDialog;

    // Starts the sign-in: builds the authorization URL and loads it.
    virtual void start() = 0;
    // The message above the page (why a sign-in is needed, or what went wrong); empty when none.
    virtual QString bannerText() const = 0;
    virtual const UserError &lastError() const = 0;
    // Runs a script in the page (tests drive the provider's form as a user would).
    virtual void runJavaScript(const QString &script, const std::function<void(const QVariant &)> &done) = 0;

Q_SIGNALS:
    void pageLoaded(bool ok);
};

// What the plugin provides: one login window per sign-in.
class LoginWindowFactory
{
public:
    virtual ~LoginWindowFactory() = default;
    // `explanation`, when set, is shown above the page (e.g. why the silent sign-in did not work).
    virtual LoginDialog *createLoginWindow(SignInPageFlow *flow, const Profile &profile,
                                           const UserError &explanation, QWidget *parent) = 0;
};

} // namespace fedsync::ui

#define FEDSYNC_LOGIN_WINDOW_FACTORY_IID "org.fedsync.LoginWindowFactory/1.0"
Q_DECLARE_INTERFACE(fedsync::ui::LoginWindowFactory, FEDSYNC_LOGIN_WINDOW_FACTORY_IID)
