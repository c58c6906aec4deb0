// Sign-in in the system browser (RFC 8252), for profiles whose identity provider refuses embedded
// browsers (Google: "disallowed_useragent"): the authorization page opens in the user's browser, the
// redirect comes back to a loopback listener (SystemBrowserSignIn, shared with fedsync-cli login), and
// this small dialog waits with Cancel and "open again".
#pragma once

#include "common/usererror.h"

#include <QDialog>
#include <QUrl>

#include <functional>

class QLabel;
class QPushButton;

namespace fedsync {
class SignInFlow;
class SystemBrowserSignIn;
} // namespace fedsync

namespace fedsync::ui {

class SystemBrowserDialog final : public QDialog
{
    Q_OBJECT
public:
    using UrlOpener = std::function<void(const QUrl &)>;

    // `explanation`, when set, says why a sign-in is needed (e.g. the saved one was refused).
    SystemBrowserDialog(SignInFlow *flow, UrlOpener opener, const UserError &explanation = {},
                        QWidget *parent = nullptr);
    QString message() const;

    void start();
    void reject() override;
    const UserError &lastError() const { return m_lastError; }
    SystemBrowserSignIn *signIn() const { return m_signIn; }

private:
    void onFailed(const UserError &error);

    SystemBrowserSignIn *m_signIn;
    UrlOpener m_opener;
    QLabel *m_message;
    QPushButton *m_openAgain;
    UserError m_lastError;
};

} // namespace fedsync::ui
