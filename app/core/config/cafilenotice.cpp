#include "config/cafilenotice.h"

#include "config/profilehosts.h"
#include "net/certificatetrust.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace fedsync {
namespace {
QString absolutePath(const QString &source)
{
    return QDir::cleanPath(QFileInfo(source).absoluteFilePath());
}

// The key of a (profile file, CA file content) pair. Made from the CA file's bytes, so it needs no
// certificate parsing: the check runs at every start, before the window is shown.
QString settingsKey(const QString &source, const Profile &profile)
{
    QFile file(profile.caFile);
    const QByteArray content = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData((absolutePath(source) + QLatin1Char('\n')).toUtf8());
    hash.addData(content);
    return QStringLiteral("caNotices/v2/") + QString::fromLatin1(hash.result().toHex().left(32));
}

// The key earlier versions wrote (the certificates described through Qt's TLS backend): still honoured,
// so an upgrade does not ask again.
QString legacySettingsKey(const QString &source, const Profile &profile)
{
    const QByteArray material = (absolutePath(source) + QLatin1Char('\n') +
                                 CertificateTrust::describeFile(profile.caFile).join(QLatin1Char('\n')))
                                    .toUtf8();
    return QStringLiteral("caNotices/") +
           QString::fromLatin1(
               QCryptographicHash::hash(material, QCryptographicHash::Sha256).toHex().left(32));
}
} // namespace

QString CaFileNotice::text(const Profile &profile)
{
    if (profile.caFile.isEmpty())
        return {};
    const QStringList certificates = CertificateTrust::describeFile(profile.caFile);
    QString text = tr("The profile \"%1\" trusts an extra certificate authority (%2) for %3 only:")
                       .arg(profile.name, QDir::toNativeSeparators(profile.caFile),
                            hostsNamedBy(profile).join(QStringLiteral(", ")));
    for (const QString &certificate : certificates)
        text += QStringLiteral("\n  ") + certificate;
    if (certificates.isEmpty())
        text += QStringLiteral("\n  ") + tr("(the file holds no readable certificate)");
    return text;
}

bool CaFileNotice::wasShown(const QString &source, const Profile &profile)
{
    if (profile.caFile.isEmpty())
        return true;
    QSettings settings;
    const QString key = settingsKey(source, profile);
    if (settings.value(key).toBool())
        return true;
    if (!settings.value(legacySettingsKey(source, profile)).toBool())
        return false;
    settings.setValue(key, true);
    return true;
}

void CaFileNotice::markShown(const QString &source, const Profile &profile)
{
    if (!profile.caFile.isEmpty())
        QSettings().setValue(settingsKey(source, profile), true);
}

} // namespace fedsync
