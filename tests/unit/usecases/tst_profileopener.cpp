// ProfileOpener: the "open the profile and the session" step both fedsync and fedsync-cli start with.
// The selection's errors reach the caller as they are, a profile that fails its checks gets no context
// (but can still be looked at), the context is built once, restoring without a stored sign-in says that
// nobody is signed in, and a profile file's extra CA is announced once.
#include "common/errorcodes.h"
#include "config/profilefile.h"
#include "config/profilestore.h"
#include "memorysecretstore.h"
#include "session/profilecontext.h"
#include "testmain.h"
#include "testprofiles.h"
#include "usecases/profileopener.h"

#include <QFile>
#include <QTemporaryDir>

using namespace fedsync;
using fedsync::test::minimalProfile;

class TestProfileOpener : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void isExplicit_data();
    void isExplicit();
    void selectionErrorReachesEveryStep();
    void unusableProfileCanStillBeLookedAt();
    void contextIsBuiltOnce();
    void restoreWithoutStoredSignIn();
    void caNoticeComesOncePerFile();
    void savedProfileHasNoCaNotice();

private:
    QString writeProfileFile(const Profile &profile, const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<ProfileStore> m_store;
    MemorySecretStore m_secrets;
    QString m_work;
};

void TestProfileOpener::init()
{
    m_store = std::make_unique<ProfileStore>(
        m_dir.filePath(QStringLiteral("%1.ini").arg(QString::fromLatin1(QTest::currentTestFunction()))));
    Profile work = minimalProfile(QStringLiteral("Work"));
    QVERIFY(!m_store->save(work).isError());
    m_work = work.id;
}

QString TestProfileOpener::writeProfileFile(const Profile &profile, const QString &name)
{
    const QString path = m_dir.filePath(name);
    const UserError error = ProfileFile::save(profile, path);
    return error.isError() ? QString() : path;
}

void TestProfileOpener::isExplicit_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("expected");
    QTest::newRow("nothing: the saved current one") << ""
                                                    << "" << false;
    QTest::newRow("--profile") << ""
                               << "work" << true;
    QTest::newRow("--profile-file") << "/tmp/p.json"
                                    << "" << true;
}

void TestProfileOpener::isExplicit()
{
    QFETCH(QString, file);
    QFETCH(QString, id);
    QFETCH(bool, expected);
    const ProfileOpener opener(*m_store, &m_secrets, {file, id});
    QCOMPARE(opener.isExplicit(), expected);
    QCOMPARE(opener.request().profileFile, file);
    QCOMPARE(opener.request().profileId, id);
}

void TestProfileOpener::selectionErrorReachesEveryStep()
{
    // No --profile and no saved current profile: ProfileSelection's error, unchanged, from each step.
    ProfileOpener opener(*m_store, &m_secrets, {});
    UserError error;
    QVERIFY(!opener.profile(&error));
    QCOMPARE(error.code, ProfileSelection::NoProfile);
    error = {};
    QVERIFY(!opener.context(&error));
    QCOMPARE(error.code, ProfileSelection::NoProfile);
    QVERIFY(!opener.openedContext());

    QObject receiver;
    UserError reason;
    bool signedIn = false;
    opener.restore(
        &receiver, [&signedIn](ProfileContext &) { signedIn = true; },
        [&reason](const UserError &e) { reason = e; });
    QCOMPARE(reason.code, ProfileSelection::NoProfile);
    QVERIFY(!signedIn);

    ProfileOpener unknown(*m_store, &m_secrets, {{}, QStringLiteral("nope")});
    QVERIFY(!unknown.context(&error));
    QCOMPARE(error.code, ProfileSelection::UnknownProfile);
}

void TestProfileOpener::unusableProfileCanStillBeLookedAt()
{
    Profile broken = minimalProfile(QStringLiteral("Broken"));
    broken.auth0.clientId.clear(); // ProfileValidator: an error
    const QString path = writeProfileFile(broken, QStringLiteral("broken.json"));
    QVERIFY(!path.isEmpty());
    ProfileOpener opener(*m_store, &m_secrets, {path, {}});
    UserError error;
    const std::optional<Profile> loaded = opener.profile(&error); // as the setup doctor reads it
    QVERIFY2(loaded, qPrintable(error.text()));
    QCOMPARE(loaded->name, QStringLiteral("Broken"));
    QCOMPARE(loaded->sourceFile, path);
    QVERIFY(!opener.context(&error));
    QVERIFY(error.isError());
    QVERIFY2(error.text().contains(QStringLiteral("client")), qPrintable(error.text()));
    QVERIFY(!opener.openedContext());
}

void TestProfileOpener::contextIsBuiltOnce()
{
    QVERIFY(m_store->setCurrentProfileId(m_work));
    ProfileOpener opener(*m_store, &m_secrets, {});
    UserError error;
    ProfileContext *first = opener.context(&error);
    QVERIFY2(first, qPrintable(error.text()));
    QCOMPARE(first->profile().id, m_work);
    QCOMPARE(first->secrets(), &m_secrets);
    QCOMPARE(opener.openedContext(), first);
    // Switching the current profile later does not change what this run opened.
    Profile other = minimalProfile(QStringLiteral("Other"));
    QVERIFY(!m_store->save(other).isError());
    QVERIFY(m_store->setCurrentProfileId(other.id));
    QCOMPARE(opener.context(&error), first);
    QCOMPARE(opener.profile(&error)->id, m_work);
}

void TestProfileOpener::restoreWithoutStoredSignIn()
{
    ProfileOpener opener(*m_store, &m_secrets, {{}, m_work});
    QObject receiver;
    UserError reason;
    ProfileContext *restored = nullptr;
    opener.restore(
        &receiver, [&restored](ProfileContext &context) { restored = &context; },
        [&reason](const UserError &e) { reason = e; });
    QTRY_VERIFY(reason.isError());
    QCOMPARE(reason.code, QString(errorcode::SessionNone));
    QVERIFY(!restored);
    QVERIFY(opener.openedContext()); // the profile itself opened
    QCOMPARE(m_secrets.keys(), QStringList());
}

void TestProfileOpener::caNoticeComesOncePerFile()
{
    const QString ca = m_dir.filePath(QStringLiteral("ca.pem"));
    QFile file(ca);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a certificate\n");
    file.close();
    Profile withCa = minimalProfile(QStringLiteral("With CA"));
    withCa.caFile = ca;
    const QString path = writeProfileFile(withCa, QStringLiteral("withca.json"));
    QVERIFY(!path.isEmpty());

    ProfileOpener opener(*m_store, &m_secrets, {path, {}});
    UserError error;
    const std::optional<Profile> profile = opener.profile(&error);
    QVERIFY2(profile, qPrintable(error.text()));
    const QString notice = opener.pendingCaNotice(*profile);
    QVERIFY2(notice.contains(QStringLiteral("extra certificate authority")), qPrintable(notice));
    QVERIFY2(notice.contains(QStringLiteral("tenant.auth0.com")), qPrintable(notice));
    QCOMPARE(opener.pendingCaNotice(*profile), notice); // not shown yet: still due
    opener.markCaNoticeShown(*profile);
    QVERIFY(opener.pendingCaNotice(*profile).isEmpty());
    // The next run with the same file and CA: nothing to say.
    const ProfileOpener nextRun(*m_store, &m_secrets, {path, {}});
    QVERIFY(nextRun.pendingCaNotice(*nextRun.profile(&error)).isEmpty());
}

void TestProfileOpener::savedProfileHasNoCaNotice()
{
    Profile saved = minimalProfile(QStringLiteral("Saved with CA"));
    saved.caFile = m_dir.filePath(QStringLiteral("ca.pem"));
    QVERIFY(!m_store->save(saved).isError());
    const ProfileOpener opener(*m_store, &m_secrets, {{}, saved.id});
    UserError error;
    const std::optional<Profile> profile = opener.profile(&error);
    QVERIFY2(profile, qPrintable(error.text()));
    QCOMPARE(profile->caFile, saved.caFile);
    QVERIFY(opener.pendingCaNotice(*profile).isEmpty()); // imported into the store: shown at import
}

FEDSYNC_TEST_MAIN(TestProfileOpener)
#include "tst_profileopener.moc"
