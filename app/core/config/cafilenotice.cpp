#include "config/cafilenotice.h"

#include "config/profilehosts.h"
#include "net/certificatetrust.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace fedsync {
namespace {
QString settingsKey(const QString &source, const Profile &profile)
{
    const QString absolute = QDir::cleanPath(QFileInfo(source).absoluteFilePath());
    const QByteArray material = (absolute + QLatin1Char('\n') +
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
    return profile.caFile.isEmpty() || QSettings().value(settingsKey(source, profile)).toBool();
}

void CaFileNotice::markShown(const QString &source, const Profile &profile)
{
    if (!profile.caFile.isEmpty())
        QSettings().setValue(settingsKey(source, profile), true);
}

} // namespace fedsync
