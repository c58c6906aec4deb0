#include "usecases/relayedsigninflow.h"

#include "log/logcategories.h"

#include <QJsonDocument>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <unistd.h>

namespace fedsync {

RelayedSignInFlow::RelayedSignInFlow(int readFd, int writeFd, QObject *parent)
    : SignInPageFlow(parent)
    , m_readFd(readFd)
    , m_writeFd(writeFd)
    , m_notifier(new QSocketNotifier(qintptr(readFd), QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &RelayedSignInFlow::readAvailable);
}

RelayedSignInFlow::~RelayedSignInFlow() = default;

void RelayedSignInFlow::start(const QUrl &redirectUri)
{
    setRedirectUri(redirectUri);
    m_busy = true;
    m_redirectHandled = false;
    send(signinpage::kind::Start,
         {{QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded)}});
}

void RelayedSignInFlow::handleRedirect(const QUrl &url)
{
    if (!m_busy || m_redirectHandled || !isRedirect(url))
        return;
    m_redirectHandled = true;
    send(signinpage::kind::Redirect, {{QStringLiteral("url"), url.toString(QUrl::FullyEncoded)}});
}

void RelayedSignInFlow::cancel()
{
    if (!m_busy)
        return;
    m_busy = false;
    send(signinpage::kind::Cancel);
}

void RelayedSignInFlow::reportPageLoaded(bool ok)
{
    send(signinpage::kind::Loaded, {{QStringLiteral("ok"), ok}});
}

void RelayedSignInFlow::reportProblem(const UserError &problem)
{
    send(signinpage::kind::Failed, {{QStringLiteral("error"), signinpage::errorToJson(problem)}});
}

void RelayedSignInFlow::send(const QString &type, const QJsonObject &fields)
{
    if (m_gone)
        return;
    const QByteArray line = signinpage::encode(type, fields);
    qsizetype written = 0;
    while (written < line.size()) {
        const ssize_t n = ::write(m_writeFd, line.constData() + written, size_t(line.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            qCWarning(lcUsecases) << "The app stopped listening to the sign-in page";
            m_gone = true;
            Q_EMIT disconnected();
            return;
        }
        written += n;
    }
}

void RelayedSignInFlow::readAvailable()
{
    char buffer[16384];
    const ssize_t n = ::read(m_readFd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        m_notifier->setEnabled(false);
        m_gone = true;
        Q_EMIT disconnected();
        return;
    }
    m_reader.append(QByteArray(buffer, qsizetype(n)));
    while (std::optional<signinpage::Message> message = m_reader.next())
        dispatch(*message);
    if (m_reader.broken()) {
        qCWarning(lcUsecases) << "The sign-in page got a message it cannot read; closing";
        m_notifier->setEnabled(false);
        m_gone = true;
        Q_EMIT disconnected();
    }
}

void RelayedSignInFlow::dispatch(const signinpage::Message &message)
{
    namespace kind = signinpage::kind;
    if (message.type == kind::Hello) {
        Q_EMIT helloReceived(
            QJsonDocument(message.fields.value(QStringLiteral("profile")).toObject())
                .toJson(QJsonDocument::Compact),
            signinpage::errorFromJson(message.fields.value(QStringLiteral("explanation")).toObject()),
            quint64(std::max(0.0, message.fields.value(QStringLiteral("parent_window")).toDouble())));
    } else if (message.type == kind::Open) {
        Q_EMIT authorizationUrlReady(
            QUrl(message.fields.value(QStringLiteral("url")).toString(), QUrl::StrictMode));
    } else if (message.type == kind::Exchanging) {
        Q_EMIT exchanging();
    } else if (message.type == kind::Succeeded) {
        m_busy = false;
        Q_EMIT succeeded();
    } else if (message.type == kind::Failed) {
        m_busy = false;
        Q_EMIT failed(signinpage::errorFromJson(message.fields.value(QStringLiteral("error")).toObject()));
    }
}

} // namespace fedsync
