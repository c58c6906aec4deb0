#include "keychainpeek.h"

#include "config/profile.h"
#include "sandbox.h"
#include "session/sessionentry.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>

#include <unistd.h>

namespace keychainpeek {

namespace {
// What `program` printed on stdout; empty when it failed (or printed nothing).
QByteArray toolOutput(const QString &program, const QStringList &args)
{
    QProcess tool;
    tool.start(program, args);
    if (!tool.waitForFinished(30000) || tool.exitStatus() != QProcess::NormalExit || tool.exitCode() != 0)
        return {};
    return tool.readAllStandardOutput();
}

QByteArray keyctl(const QStringList &args)
{
    return toolOutput(QStringLiteral("keyctl"), args);
}
} // namespace

std::optional<QByteArray> lookup(const QString &key, const QString &service)
{
    const QByteArray printed =
        toolOutput(QStringLiteral("secret-tool"),
                   {QStringLiteral("lookup"), QStringLiteral("server"), service, QStringLiteral("user"), key})
            .trimmed();
    if (printed.isEmpty())
        return std::nullopt;
    return QByteArray::fromBase64(printed);
}

QJsonObject sessionEntry(const fedsync::Profile &profile, const fedsync::SessionBinding &binding)
{
    const std::optional<QByteArray> value = lookup(fedsync::SessionEntry::keyFor(profile, binding));
    return value ? QJsonDocument::fromJson(*value).object() : QJsonObject();
}

QString sessionKey(const fedsync::test::Sandbox &sandbox, const QString &profileFile, int user)
{
    fedsync::Profile profile = sandbox.profile();
    profile.sourceFile = profileFile;
    const fedsync::SessionBinding binding{sandbox.ready().value(QStringLiteral("issuer")).toString(),
                                          profile.auth0.clientId, sandbox.user(user, "sub")};
    return fedsync::SessionEntry::keyFor(profile, binding);
}

QJsonObject sessionEntry(const fedsync::test::Sandbox &sandbox, const QString &profileFile, int user)
{
    const std::optional<QByteArray> value = lookup(sessionKey(sandbox, profileFile, user));
    return value ? QJsonDocument::fromJson(*value).object() : QJsonObject();
}

KernelKey kernelKeyringCopy(const fedsync::test::Sandbox &sandbox, const QString &profileFile, int user)
{
    const QString description =
        QStringLiteral("Fedsync/") + sessionKey(sandbox, profileFile, user) + QStringLiteral("/aws");
    const QString id = QString::fromUtf8(
        keyctl({QStringLiteral("search"), QStringLiteral("@u"), QStringLiteral("user"), description})
            .trimmed());
    if (id.isEmpty())
        return {};
    KernelKey key;
    key.value = QJsonDocument::fromJson(keyctl({QStringLiteral("pipe"), id})).object();
    // "type;uid;gid;perm;description"
    key.permissions =
        QString::fromUtf8(keyctl({QStringLiteral("rdescribe"), id})).section(QLatin1Char(';'), 3, 3);
    return key;
}

qint64 kernelKeyringBytesLeft()
{
    // "  <uid>:  <usage> <nkeys>/<nikeys> <qnkeys>/<maxkeys> <qnbytes>/<maxbytes>"
    QFile users(QStringLiteral("/proc/key-users"));
    if (!users.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray uid = QByteArray::number(quint64(getuid())) + ':';
    for (const QByteArray &line : users.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() == 5 && fields.at(0) == uid) {
            const QList<QByteArray> bytes = fields.at(4).split('/');
            if (bytes.size() == 2)
                return bytes.at(1).toLongLong() - bytes.at(0).toLongLong();
        }
    }
    return -1;
}

} // namespace keychainpeek
