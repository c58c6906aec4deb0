#include "session/sessionentry.h"

#include "config/profile.h"
#include "secrets/secretstore.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace fedsync {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("SessionEntry", text);
}

QString sha256Hex(const QByteArray &data, int digits)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex().left(digits));
}

void wipeString(QString &s)
{
    s.fill(QLatin1Char('\0'));
    s.clear();
}

const QString kV = QStringLiteral("v");
const QString kIss = QStringLiteral("iss");
const QString kClientId = QStringLiteral("client_id");
const QString kSub = QStringLiteral("sub");
const QString kRefreshToken = QStringLiteral("refresh_token");
const QString kIdToken = QStringLiteral("id_token");
const QString kIdTokenExp = QStringLiteral("id_token_exp");
const QString kAws = QStringLiteral("aws");
} // namespace

QString SessionBinding::hash() const
{
    return sha256Hex((issuer + QLatin1Char('\n') + clientId + QLatin1Char('\n') + subject).toUtf8(), 32);
}

void CachedAwsCredentials::wipe()
{
    wipeString(secretAccessKey);
    wipeString(sessionToken);
    *this = {};
}

QString SessionEntry::namespaceFor(const Profile &profile)
{
    if (profile.sourceFile.isEmpty())
        return QStringLiteral("saved");
    const QFileInfo file(profile.sourceFile);
    const QString canonical =
        file.canonicalFilePath().isEmpty() ? file.absoluteFilePath() : file.canonicalFilePath();
    return QStringLiteral("file-") + sha256Hex(canonical.toUtf8(), 16);
}

QString SessionEntry::keyFor(const Profile &profile, const SessionBinding &binding)
{
    return QStringLiteral("v2/%1/%2/%3/session").arg(namespaceFor(profile), profile.id, binding.hash());
}

QString SessionEntry::legacyKeyFor(const QString &profileId, const QString &subject)
{
    return SecretStore::keyFor(profileId, subject, u"tokens");
}

QByteArray SessionEntry::encode() const
{
    QJsonObject o{
        {kV, Version}, {kIss, binding.issuer}, {kClientId, binding.clientId}, {kSub, binding.subject}};
    if (!refreshToken.isEmpty()) // none: no offline_access, or the kernel keyring's copy (no token there)
        o.insert(kRefreshToken, refreshToken);
    if (!idToken.isEmpty() && idTokenExpires.isValid()) {
        o.insert(kIdToken, idToken);
        o.insert(kIdTokenExp, idTokenExpires.toSecsSinceEpoch());
    }
    if (!aws.isEmpty() && aws.expiration.isValid()) {
        QJsonObject a{{QStringLiteral("pool"), aws.pool},
                      {QStringLiteral("scope"), aws.scope},
                      {QStringLiteral("identity_id"), aws.identityId},
                      {QStringLiteral("access_key_id"), aws.accessKeyId},
                      {QStringLiteral("secret_access_key"), aws.secretAccessKey},
                      {QStringLiteral("session_token"), aws.sessionToken},
                      {QStringLiteral("expiration"), aws.expiration.toSecsSinceEpoch()}};
        if (aws.issued.isValid())
            a.insert(QStringLiteral("issued"), aws.issued.toSecsSinceEpoch());
        o.insert(kAws, a);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<SessionEntry> SessionEntry::decode(const QByteArray &value, UserError *error)
{
    const QJsonObject o = QJsonDocument::fromJson(value).object();
    SessionEntry entry;
    entry.binding = {o.value(kIss).toString(), o.value(kClientId).toString(), o.value(kSub).toString()};
    entry.refreshToken = o.value(kRefreshToken).toString();
    if (o.value(kV).toInt() != Version || !entry.binding.isComplete()) {
        *error = UserError::make(QStringLiteral("session.entry.unreadable"),
                                 tr("Your saved sign-in could not be read"),
                                 tr("The keychain entry is not in the format this version of Fedsync writes"),
                                 tr("Sign in again"));
        entry.wipe();
        return std::nullopt;
    }
    const qint64 idTokenExp = o.value(kIdTokenExp).toInteger(0);
    if (o.value(kIdToken).isString() && idTokenExp > 0) {
        entry.idToken = o.value(kIdToken).toString();
        entry.idTokenExpires = QDateTime::fromSecsSinceEpoch(idTokenExp, Qt::UTC);
    }
    const QJsonObject a = o.value(kAws).toObject();
    const qint64 awsExp = a.value(QStringLiteral("expiration")).toInteger(0);
    if (!a.isEmpty() && awsExp > 0) {
        entry.aws.pool = a.value(QStringLiteral("pool")).toString();
        entry.aws.scope = a.value(QStringLiteral("scope")).toString();
        entry.aws.identityId = a.value(QStringLiteral("identity_id")).toString();
        entry.aws.accessKeyId = a.value(QStringLiteral("access_key_id")).toString();
        entry.aws.secretAccessKey = a.value(QStringLiteral("secret_access_key")).toString();
        entry.aws.sessionToken = a.value(QStringLiteral("session_token")).toString();
        entry.aws.expiration = QDateTime::fromSecsSinceEpoch(awsExp, Qt::UTC);
        if (const qint64 issued = a.value(QStringLiteral("issued")).toInteger(0); issued > 0)
            entry.aws.issued = QDateTime::fromSecsSinceEpoch(issued, Qt::UTC);
    }
    *error = {};
    return entry;
}

UserError SessionEntry::checkBinding(const SessionBinding &expected) const
{
    if (binding == expected)
        return {};
    QString why;
    if (binding.issuer != expected.issuer)
        why = tr("It was issued by %1, but the profile now names %2").arg(binding.issuer, expected.issuer);
    else if (binding.clientId != expected.clientId)
        why = tr("It was issued to the application %1, but the profile now names %2")
                  .arg(binding.clientId, expected.clientId);
    else
        why = tr("It belongs to another user (%1)").arg(binding.subject);
    return UserError::make(QStringLiteral("session.binding"),
                           tr("You are not signed in with this profile's sign-in provider"),
                           why + tr(". Fedsync never sends a saved sign-in to another provider"),
                           tr("Sign in again with this profile"));
}

void SessionEntry::wipe()
{
    wipeString(refreshToken);
    wipeString(idToken);
    aws.wipe();
}

} // namespace fedsync
