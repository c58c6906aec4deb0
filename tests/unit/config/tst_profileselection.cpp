// ProfileSelection: which profile a run uses (the rules both fedsync and fedsync-cli follow) and the
// errors a person reads when it is none or an unknown one.
#include "config/profilefile.h"
#include "config/profileselection.h"
#include "config/profilestore.h"
#include "testmain.h"
#include "testprofiles.h"

#include <QTemporaryDir>

using namespace fedsync;
using fedsync::test::minimalProfile;

class TestProfileSelection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void noneSelected();
    void currentProfile();
    void explicitIdWinsOverCurrent();
    void unknownIdIsNamed();
    void fileWinsAndCarriesItsPath();
    void unreadableFileKeepsItsOwnError();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProfileStore> m_store;
    QString m_work;
    QString m_home;
};

void TestProfileSelection::init()
{
    m_store = std::make_unique<ProfileStore>(
        m_dir.filePath(QStringLiteral("%1.ini").arg(QString::fromLatin1(QTest::currentTestFunction()))));
    Profile work = minimalProfile(QStringLiteral("Work"));
    Profile home = minimalProfile(QStringLiteral("Home"));
    QVERIFY(!m_store->save(work).isError());
    QVERIFY(!m_store->save(home).isError());
    m_work = work.id;
    m_home = home.id;
}

void TestProfileSelection::noneSelected()
{
    UserError error;
    QVERIFY(!ProfileSelection(*m_store).select({}, &error));
    QCOMPARE(error.code, ProfileSelection::NoProfile);
    QVERIFY2(error.text().contains(QStringLiteral("No profile is selected")), qPrintable(error.text()));
    QVERIFY2(error.action.contains(QStringLiteral("--profile-file")), qPrintable(error.action));
}

void TestProfileSelection::currentProfile()
{
    QVERIFY(m_store->setCurrentProfileId(m_home));
    UserError error;
    const std::optional<Profile> profile = ProfileSelection(*m_store).select({}, &error);
    QVERIFY2(profile, qPrintable(error.text()));
    QCOMPARE(profile->id, m_home);
    QVERIFY(profile->sourceFile.isEmpty());
    QVERIFY(!error.isError());
}

void TestProfileSelection::explicitIdWinsOverCurrent()
{
    QVERIFY(m_store->setCurrentProfileId(m_home));
    UserError error;
    const std::optional<Profile> profile = ProfileSelection(*m_store).select({{}, m_work}, &error);
    QVERIFY2(profile, qPrintable(error.text()));
    QCOMPARE(profile->id, m_work);
    QCOMPARE(m_store->currentProfileId(), m_home); // selecting is not choosing for later runs
}

void TestProfileSelection::unknownIdIsNamed()
{
    QVERIFY(m_store->setCurrentProfileId(m_home));
    UserError error;
    QVERIFY(!ProfileSelection(*m_store).select({{}, QStringLiteral("nope")}, &error));
    QCOMPARE(error.code, ProfileSelection::UnknownProfile);
    QVERIFY2(error.what.contains(QStringLiteral("There is no profile \"nope\"")), qPrintable(error.what));
    QVERIFY(!error.action.isEmpty());
}

void TestProfileSelection::fileWinsAndCarriesItsPath()
{
    Profile fromFile = minimalProfile(QStringLiteral("From file"));
    fromFile.id = QStringLiteral("fromfile");
    const QString path = m_dir.filePath(QStringLiteral("profile.json"));
    QVERIFY(!ProfileFile::save(fromFile, path).isError());
    UserError error;
    const std::optional<Profile> profile =
        ProfileSelection(*m_store).select({path, QStringLiteral("nope")}, &error);
    QVERIFY2(profile, qPrintable(error.text()));
    QCOMPARE(profile->name, QStringLiteral("From file"));
    QCOMPARE(profile->sourceFile, path);
}

void TestProfileSelection::unreadableFileKeepsItsOwnError()
{
    UserError error;
    QVERIFY(
        !ProfileSelection(*m_store).select({m_dir.filePath(QStringLiteral("missing.json")), m_work}, &error));
    QVERIFY(error.isError());
    QVERIFY(error.code != ProfileSelection::NoProfile && error.code != ProfileSelection::UnknownProfile);
}

FEDSYNC_TEST_MAIN(TestProfileSelection)
#include "tst_profileselection.moc"
