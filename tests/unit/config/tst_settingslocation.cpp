// Settings live in the standard per-user location, under the application's own names.
#include "config/appidentity.h"
#include "testmain.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

class TestSettingsLocation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { fedsync::applyApplicationIdentity(); }
    void settingsFileIsPerUserUnderXdgConfigHome();
    void writtenSettingsLandInThatFile();
};

void TestSettingsLocation::settingsFileIsPerUserUnderXdgConfigHome()
{
    QCOMPARE(QCoreApplication::applicationName(), QStringLiteral("Fedsync"));
    QCOMPARE(QCoreApplication::organizationName(), QStringLiteral("Fedsync"));
    const QString expected = qEnvironmentVariable("XDG_CONFIG_HOME") + QStringLiteral("/Fedsync/Fedsync.conf");
    QCOMPARE(fedsync::settingsFilePath(), expected);
    QVERIFY(!expected.startsWith(QDir::homePath() + QStringLiteral("/.config"))); // isolated, not the real one
}

void TestSettingsLocation::writtenSettingsLandInThatFile()
{
    {
        QSettings settings;
        settings.setValue(QStringLiteral("window/geometry"), QStringLiteral("probe-value"));
    }
    QFile file(fedsync::settingsFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("probe-value"));
}

FEDSYNC_TEST_MAIN(TestSettingsLocation)
#include "tst_settingslocation.moc"
