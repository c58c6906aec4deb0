// The AWS side of the signed-in page: the Cognito identity id, the flow used, and a live countdown to
// the credentials' expiry. Credentials are fetched when the user has signed in and renewed in the
// background by the provider; a failure is shown inline with the diagnosed advice and a Retry button,
// never as a modal. Shows nothing but a hint when the profile has no Cognito side.
#pragma once

#include "aws/awscredentials.h"
#include "common/usererror.h"

#include <QDateTime>
#include <QTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;

namespace fedsync {
class AwsAccess;
}

namespace fedsync::ui {

class IdentityPanel final : public QWidget
{
    Q_OBJECT
public:
    // `cognito` may be null (no AWS side): `problem` then says why.
    IdentityPanel(AwsAccess *cognito, const UserError &problem, QWidget *parent = nullptr);

    // Asks for credentials (after a sign-in); from memory when they are still fresh.
    void fetchCredentials();
    // After sign-out: back to the empty state.
    void clear();

    // For tests: the clock the countdown uses.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    QString identityText() const;
    QString countdownText() const;
    QString errorText() const;

    // "54:07", "1 h 05 min", "expired": the time left, as the countdown shows it.
    static QString formatRemaining(qint64 seconds);

Q_SIGNALS:
    void credentialsReady(const fedsync::aws::AwsCredentials &credentials);

private:
    void showCredentials(const aws::AwsCredentials &credentials);
    void showError(const UserError &error);
    void tick();

    AwsAccess *m_cognito;
    QLabel *m_identity;
    QLabel *m_flow;
    QLabel *m_countdown;
    QLabel *m_error;
    QPushButton *m_retry;
    QTimer m_ticker;
    QDateTime m_expiration;
    std::function<QDateTime()> m_clock;
};

} // namespace fedsync::ui
