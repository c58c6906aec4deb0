// Sign-in in the system browser (RFC 8252), for profiles whose identity provider refuses embedded
// browsers (Google: "disallowed_useragent"): the authorization page opens in the user's browser, the
// redirect comes back to a loopback listener, and this small dialog waits with Cancel and "open again".
#pragma once

#include "common/usererror.h"

#include <QDialog>
#include <QUrl>

#include <functional>

class QLabel;
class QPushButton;

namespace fedsync {
class LoopbackReceiver;
class SignInFlow;
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

private:
    void onFailed(const UserError &error);

    SignInFlow *m_flow;
    UrlOpener m_opener;
    LoopbackReceiver *m_receiver;
    QLabel *m_message;
    QPushButton *m_openAgain;
    QUrl m_authorizationUrl;
    UserError m_lastError;
};

} // namespace fedsync::ui
