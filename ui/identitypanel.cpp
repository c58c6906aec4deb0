#include "identitypanel.h"
#include "common/errorcodes.h"

#include "aws/cognitocredentialsprovider.h"
#include "session/awsaccess.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace fedsync::ui {

IdentityPanel::IdentityPanel(AwsAccess *cognito, const UserError &problem, QWidget *parent)
    : QWidget(parent)
    , m_cognito(cognito)
    , m_identity(new QLabel(this))
    , m_flow(new QLabel(this))
    , m_countdown(new QLabel(this))
    , m_error(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry"), this))
{
    setObjectName(QStringLiteral("identityPanel"));
    // Identity ids, flow descriptions and error texts come from servers: never read as rich text.
    for (QLabel *label : {m_identity, m_flow, m_countdown, m_error})
        label->setTextFormat(Qt::PlainText);
    m_identity->setObjectName(QStringLiteral("identityId"));
    m_identity->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countdown->setObjectName(QStringLiteral("credentialsCountdown"));
    m_error->setObjectName(QStringLiteral("identityError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(
        QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; border-radius: 4px; }"));
    m_retry->setObjectName(QStringLiteral("identityRetry"));

    auto *form = new QFormLayout;
    form->addRow(tr("Cognito identity:"), m_identity);
    form->addRow(tr("Flow:"), m_flow);
    form->addRow(tr("AWS credentials:"), m_countdown);
    auto *errorRow = new QHBoxLayout;
    errorRow->addWidget(m_error, 1);
    errorRow->addWidget(m_retry, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addLayout(errorRow);
    m_error->hide();
    m_retry->hide();
    connect(m_retry, &QPushButton::clicked, this, [this] {
        if (m_cognito)
            m_cognito->credentials()->refresh();
    });

    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &IdentityPanel::tick);

    if (!m_cognito) {
        m_identity->setText(tr("No AWS side"));
        m_flow->setText(problem.code == errorcode::CognitoNotConfigured ? tr("—") : problem.text());
        m_flow->setWordWrap(true);
        m_countdown->setText(tr("Add an identity pool to the profile to get AWS credentials"));
        return;
    }
    m_flow->setText(m_cognito->flowDescription());
    auto *provider = m_cognito->credentials();
    connect(provider, &aws::CognitoCredentialsProvider::credentialsChanged, this,
            &IdentityPanel::showCredentials);
    connect(provider, &aws::CognitoCredentialsProvider::errorOccurred, this, &IdentityPanel::showError);
    connect(provider, &aws::CognitoCredentialsProvider::refreshing, this, [this](bool inProgress) {
        if (inProgress && !m_expiration.isValid())
            m_countdown->setText(tr("Getting credentials from Amazon Cognito…"));
        tick();
    });
    clear();
}

void IdentityPanel::fetchCredentials()
{
    if (!m_cognito)
        return;
    m_cognito->credentials()->requestCredentials([](const aws::AwsCredentials &, const UserError &) {
        // The provider's signals update the panel, for this request and every background renewal.
    });
}

void IdentityPanel::clear()
{
    if (!m_cognito)
        return;
    m_ticker.stop();
    m_expiration = {};
    m_identity->setText(tr("—"));
    m_countdown->setText(tr("Not fetched yet"));
    m_error->hide();
    m_retry->hide();
}

void IdentityPanel::showCredentials(const aws::AwsCredentials &credentials)
{
    m_error->hide();
    m_retry->hide();
    m_identity->setText(credentials.identityId);
    m_expiration = credentials.expiration;
    m_ticker.start();
    tick();
    Q_EMIT credentialsReady(credentials);
}

void IdentityPanel::showError(const UserError &error)
{
    if (error.code == errorcode::AwsCancelled)
        return; // signed out or superseded: nothing went wrong
    m_error->setText(error.text());
    m_error->setToolTip(error.details);
    m_error->show();
    m_retry->show();
    if (!m_expiration.isValid())
        m_countdown->setText(tr("None"));
}

void IdentityPanel::tick()
{
    if (!m_expiration.isValid())
        return;
    const QDateTime now = m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
    QString text = tr("expire in %1 (at %2)")
                       .arg(formatRemaining(now.secsTo(m_expiration)),
                            QLocale().toString(m_expiration.toLocalTime().time(), QLocale::ShortFormat));
    if (m_cognito && m_cognito->credentials()->isRefreshing())
        text += tr(" — renewing…");
    m_countdown->setText(text);
}

QString IdentityPanel::formatRemaining(qint64 seconds)
{
    if (seconds <= 0)
        return tr("expired");
    if (seconds >= 3600)
        return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString IdentityPanel::identityText() const
{
    return m_identity->text();
}

QString IdentityPanel::countdownText() const
{
    return m_countdown->text();
}

QString IdentityPanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace fedsync::ui
