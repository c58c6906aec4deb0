#include "jwtdialog.h"

#include "auth/auth0client.h"
#include "inspect/jwtinspection.h"
#include "jwtreporthtml.h"
#include "oidc/jwks.h"
#include "session/profilecontext.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace fedsync::ui {

JwtDialog::JwtDialog(ProfileContext *context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_token(new QPlainTextEdit)
    , m_jwks(new QPlainTextEdit)
    , m_result(new QTextBrowser)
    , m_decode(new QPushButton(tr("&Decode and verify")))
{
    setWindowTitle(tr("Decode JWT"));
    m_token->setPlaceholderText(tr("Paste or drop a token (eyJ…). It stays on this computer."));
    m_token->setAccessibleName(tr("Token"));
    m_jwks->setPlaceholderText(
        context ? tr("Optional: a JWKS to verify against (default: the profile's key set).")
                : tr("Optional: a JWKS to verify against."));
    m_jwks->setAccessibleName(tr("JWKS"));
    m_jwks->setMaximumHeight(90);
    auto *form = new QFormLayout;
    auto *tokenLabel = new QLabel(tr("&Token:"));
    tokenLabel->setBuddy(m_token);
    auto *jwksLabel = new QLabel(tr("&JWKS:"));
    jwksLabel->setBuddy(m_jwks);
    form->addRow(tokenLabel, m_token);
    form->addRow(jwksLabel, m_jwks);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_decode, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_result, 1);
    layout->addWidget(buttons);
    resize(720, 560);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_decode, &QPushButton::clicked, this, &JwtDialog::decode);
}

void JwtDialog::setToken(const QString &token)
{
    m_token->setPlainText(token);
}

void JwtDialog::setJwks(const QString &json)
{
    m_jwks->setPlainText(json);
}

QString JwtDialog::resultText() const
{
    return m_result->toPlainText();
}

void JwtDialog::decode()
{
    const QString pasted = m_jwks->toPlainText().trimmed();
    if (!pasted.isEmpty() || !m_context) {
        showResult(pasted.toUtf8(), pasted.isEmpty() ? tr("No key set: the signature was not checked.")
                                                     : tr("Verified against the pasted JWKS."));
        return;
    }
    m_decode->setEnabled(false);
    m_result->setPlainText(tr("Getting the profile's key set…"));
    m_context->auth0()->jwks(false, this, [this](const QByteArray &json, const UserError &error) {
        m_decode->setEnabled(true);
        showResult(json, error.isError() ? tr("The profile's key set is unavailable: %1").arg(error.text())
                                         : tr("Verified against the profile's JWKS (%1).")
                                               .arg(m_context->profile().auth0.issuer().toString()));
    });
}

void JwtDialog::showResult(const QByteArray &jwksJson, const QString &jwksNote)
{
    UserError error;
    std::optional<Jwks> jwks;
    QString note = jwksNote;
    if (!jwksJson.isEmpty()) {
        jwks = Jwks::parse(jwksJson, &error);
        if (!jwks)
            note = tr("The JWKS is not usable: %1").arg(error.text());
    }
    JwtInspector::Expectations expect;
    expect.jwks = jwks ? &*jwks : nullptr;
    if (m_context) {
        expect.issuer = m_context->profile().auth0.issuer().toString();
        expect.clientId = m_context->profile().auth0.clientId;
    }
    const JwtInspection inspection = JwtInspector::inspect(m_token->toPlainText(), expect);
    m_result->setHtml(QStringLiteral("<p><i>%1</i></p>").arg(note.toHtmlEscaped()) +
                      jwtReportHtml(inspection));
    Q_EMIT decoded();
}

} // namespace fedsync::ui
