#include "keychainpeek.h"

#include "config/profile.h"
#include "sandbox.h"
#include "session/sessionentry.h"

#include <QJsonDocument>
#include <QProcess>

namespace keychainpeek {

std::optional<QByteArray> lookup(const QString &key, const QString &service)
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("lookup"), QStringLiteral("server"), service, QStringLiteral("user"), key});
    if (!tool.waitForFinished(30000) || tool.exitStatus() != QProcess::NormalExit || tool.exitCode() != 0)
        return std::nullopt;
    const QByteArray printed = tool.readAllStandardOutput().trimmed();
    if (printed.isEmpty())
        return std::nullopt;
    return QByteArray::fromBase64(printed);
}

QJsonObject sessionEntry(const fedsync::Profile &profile, const fedsync::SessionBinding &binding)
{
    const std::optional<QByteArray> value = lookup(fedsync::SessionEntry::keyFor(profile, binding));
    return value ? QJsonDocument::fromJson(*value).object() : QJsonObject();
}

QJsonObject sessionEntry(const fedsync::test::Sandbox &sandbox, const QString &profileFile, int user)
{
    fedsync::Profile profile = sandbox.profile();
    profile.sourceFile = profileFile;
    const fedsync::SessionBinding binding{sandbox.ready().value(QStringLiteral("issuer")).toString(),
                                          profile.auth0.clientId, sandbox.user(user, "sub")};
    return sessionEntry(profile, binding);
}

} // namespace keychainpeek
