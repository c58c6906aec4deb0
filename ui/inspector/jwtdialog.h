// Tools > Decode JWT…: paste or drop a token, decode it and verify it offline against the profile's JWKS
// (the one Fedsync already fetched, or fetched once through the Auth0 client) or a pasted JWKS. The token
// never leaves the machine: only the provider's public key set is ever downloaded.
#pragma once

#include <QDialog>
#include <QPointer>

class QPlainTextEdit;
class QTextBrowser;
class QPushButton;

namespace fedsync {
class Auth0Client;
class ProfileContext;
} // namespace fedsync

namespace fedsync::ui {

class JwtDialog final : public QDialog
{
    Q_OBJECT
public:
    // `context` may be null: then only a pasted JWKS can verify the signature.
    explicit JwtDialog(ProfileContext *context, QWidget *parent = nullptr);

    void setToken(const QString &token);
    void setJwks(const QString &json);
    // Decodes and verifies; with the profile's key set when no JWKS is pasted (fetched asynchronously).
    void decode();
    QString resultText() const;

Q_SIGNALS:
    void decoded();

private:
    void showResult(const QByteArray &jwksJson, const QString &jwksNote);

    QPointer<ProfileContext> m_context;
    QPlainTextEdit *m_token;
    QPlainTextEdit *m_jwks;
    QTextBrowser *m_result;
    QPushButton *m_decode;
};

} // namespace fedsync::ui
