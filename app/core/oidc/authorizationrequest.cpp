#include "oidc/authorizationrequest.h"

#include "log/logcategories.h"

#include <QStringList>
#include <QUrlQuery>

namespace fedsync {

namespace {

// QUrlQuery leaves '+', '&' and '=' in values alone or ambiguous; encoding every reserved character
// first makes each value reach Auth0 exactly as given.
void addItem(QUrlQuery &query, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
}

QString withOpenId(const QString &scope)
{
    QStringList scopes = scope.split(u' ', Qt::SkipEmptyParts);
    if (!scopes.contains(QLatin1String("openid")))
        scopes.prepend(QStringLiteral("openid"));
    return scopes.join(u' ');
}

AuthorizationRequest::Callback failed(const QString &code, const QString &what, const QString &why,
                                      const QString &action, const QString &details = {})
{
    qCInfo(lcOidc) << "Sign-in redirect refused:" << code;
    AuthorizationRequest::Callback callback;
    callback.error = UserError::make(code, what, why, action, details);
    return callback;
}

UserError auth0Error(const QString &error, const QString &description)
{
    // The description is Auth0's (or a rule's) own text: shown, but kept to one short paragraph.
    const QString said =
        description.isEmpty()
            ? QString()
            : QLatin1Char(' ') +
                  AuthorizationRequest::tr("Auth0 said: \"%1\".").arg(description.simplified().left(300));
    const QString code = QStringLiteral("oidc.authorize.") + error;
    if (error == QLatin1String("access_denied")) {
        return UserError::make(
            code, AuthorizationRequest::tr("The sign-in was cancelled or refused."),
            AuthorizationRequest::tr("You declined to give Fedsync access, or the Auth0 tenant refused the "
                                     "sign-in (access_denied).") +
                said,
            AuthorizationRequest::tr("Sign in again and accept the access request. If Auth0 refused you, "
                                     "contact your administrator."));
    }
    if (error == QLatin1String("login_required")) {
        return UserError::make(
            code, AuthorizationRequest::tr("You need to sign in again."),
            AuthorizationRequest::tr("Your Auth0 session has ended, so Fedsync cannot sign "
                                     "you in without asking (login_required).") +
                said,
            AuthorizationRequest::tr("Sign in again."));
    }
    if (error == QLatin1String("consent_required")) {
        return UserError::make(code, AuthorizationRequest::tr("Fedsync needs your consent."),
                               AuthorizationRequest::tr("Auth0 needs you to approve Fedsync's access, which "
                                                        "cannot happen without asking (consent_required).") +
                                   said,
                               AuthorizationRequest::tr("Sign in again and accept the access request."));
    }
    if (error == QLatin1String("interaction_required")) {
        return UserError::make(
            code, AuthorizationRequest::tr("Auth0 needs you to take part in the sign-in."),
            AuthorizationRequest::tr("A step such as multi-factor authentication or a password change cannot "
                                     "happen without asking (interaction_required).") +
                said,
            AuthorizationRequest::tr("Sign in again and follow the steps Auth0 shows."));
    }
    if (error == QLatin1String("unauthorized")) {
        return UserError::make(code, AuthorizationRequest::tr("Auth0 refused the sign-in."),
                               AuthorizationRequest::tr("Your account may not sign in to this application; "
                                                        "it may be blocked (unauthorized).") +
                                   said,
                               AuthorizationRequest::tr("Contact the administrator of the Auth0 tenant."));
    }
    if (error == QLatin1String("invalid_request")) {
        return UserError::make(code, AuthorizationRequest::tr("Auth0 rejected the sign-in request."),
                               AuthorizationRequest::tr("The request was invalid (invalid_request).") + said,
                               AuthorizationRequest::tr(
                                   "Check the client ID in the profile, and that Fedsync's callback URL is "
                                   "listed under Allowed Callback URLs in the Auth0 Dashboard (Applications "
                                   "> your application > Settings)."));
    }
    // The server's error value is not a stable code of ours: it goes to the details.
    return UserError::make(QStringLiteral("oidc.authorize.error"),
                           AuthorizationRequest::tr("Auth0 could not complete the sign-in."),
                           AuthorizationRequest::tr("Auth0 reported the error \"%1\".").arg(error.left(100)) +
                               said,
                           AuthorizationRequest::tr("Sign in again. If this keeps happening, contact the "
                                                    "administrator of the Auth0 tenant."),
                           error.left(100));
}

} // namespace

QUrl AuthorizationRequest::url() const
{
    if (!authorizationEndpoint.isValid() || authorizationEndpoint.isRelative() || clientId.isEmpty() ||
        !redirectUri.isValid() || redirectUri.isRelative() || state.isEmpty() || nonce.isEmpty() ||
        codeChallenge.isEmpty())
        return {};

    QUrlQuery query(authorizationEndpoint);
    addItem(query, QStringLiteral("response_type"), QStringLiteral("code"));
    addItem(query, QStringLiteral("client_id"), clientId);
    addItem(query, QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded));
    addItem(query, QStringLiteral("scope"), withOpenId(scope));
    addItem(query, QStringLiteral("state"), state);
    addItem(query, QStringLiteral("nonce"), nonce);
    addItem(query, QStringLiteral("code_challenge"), codeChallenge);
    addItem(query, QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    addItem(query, QStringLiteral("audience"), audience);
    addItem(query, QStringLiteral("connection"), connection);
    addItem(query, QStringLiteral("organization"), organization);
    addItem(query, QStringLiteral("prompt"), prompt);
    addItem(query, QStringLiteral("screen_hint"), screenHint);
    addItem(query, QStringLiteral("ui_locales"), uiLocales);
    if (maxAge)
        addItem(query, QStringLiteral("max_age"), QString::number(maxAge->count()));

    QUrl url = authorizationEndpoint;
    url.setQuery(query);
    return url;
}

bool AuthorizationRequest::isRedirect(const QUrl &url) const
{
    return redirectUri.isValid() && url.isValid() &&
           url.scheme().compare(redirectUri.scheme(), Qt::CaseInsensitive) == 0 &&
           url.host().compare(redirectUri.host(), Qt::CaseInsensitive) == 0 &&
           url.port() == redirectUri.port() &&
           url.path(QUrl::FullyEncoded) == redirectUri.path(QUrl::FullyEncoded);
}

AuthorizationRequest::Callback AuthorizationRequest::parseCallback(const QUrl &callback,
                                                                   const QString &expectedState)
{
    // Servers form-encode the redirect: a '+' is a space there, and a literal '+' arrives as %2B.
    const QUrlQuery query(callback.query(QUrl::FullyEncoded).replace(u'+', QLatin1String("%20")));
    const auto single = [&query](const char *key, QString *value) {
        const QStringList values = query.allQueryItemValues(QLatin1String(key), QUrl::FullyDecoded);
        if (values.size() > 1)
            return false;
        *value = values.value(0);
        return true;
    };

    QString state;
    QString code;
    QString error;
    QString description;
    const bool unambiguous = single("state", &state) && single("code", &code) && single("error", &error) &&
                             single("error_description", &description);
    if (!unambiguous || expectedState.isEmpty() || state != expectedState) {
        return failed(
            QStringLiteral("oidc.authorize.state_mismatch"), tr("The sign-in could not be completed safely."),
            state.isEmpty() && unambiguous
                ? tr("The answer from the sign-in page carries no state, so it cannot be tied to the "
                     "sign-in Fedsync started; it may be a forged request (CSRF).")
                : tr("The answer from the sign-in page does not belong to the sign-in Fedsync "
                     "started (its state does not match); it may be a forged request (CSRF)."),
            tr("Start the sign-in again from Fedsync."));
    }
    if (!error.isEmpty()) {
        Callback result;
        result.state = state;
        result.error = auth0Error(error, description);
        qCInfo(lcOidc) << "Sign-in redirect carries an error:" << result.error.code;
        return result;
    }
    if (code.isEmpty()) {
        return failed(QStringLiteral("oidc.authorize.no_code"), tr("The sign-in could not be completed."),
                      tr("The answer from the sign-in page carries no authorization code."),
                      tr("Start the sign-in again from Fedsync."));
    }
    Callback result;
    result.code = code;
    result.state = state;
    return result;
}

} // namespace fedsync
