// Profiles as the user edits them: the editor checks as you type (issues listed with what to do, the
// field marked, OK disabled on an error), the profiles dialog adds, imports, duplicates and deletes
// (with confirmation) in a real settings file, and choosing a profile rebuilds the main window for it.
#include "appshell.h"
#include "config/appidentity.h"
#include "config/profilefile.h"
#include "config/profilestore.h"
#include "guitestmain.h"
#include "mainwindow.h"
#include "profileeditordialog.h"
#include "profilesdialog.h"
#include "memorysecretstore.h"
#include "session/profilecontext.h"

#include "session/rememberedsessions.h"
#include "session/sessionentry.h"
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::ui;

namespace {
void type(QWidget *dialog, const char *field, const QString &text)
{
    auto *edit = dialog->findChild<QLineEdit *>(QString::fromLatin1(field));
    QVERIFY2(edit, field);
    edit->selectAll();
    QTest::keyClicks(edit, text);
}

QPushButton *okButton(QDialog *dialog)
{
    return dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttons"))->button(QDialogButtonBox::Ok);
}

Profile validProfile(const QString &name)
{
    Profile p;
    p.name = name;
    p.auth0.domain = QStringLiteral("%1.eu.auth0.com").arg(Profile::slugFor(name));
    p.auth0.clientId = QStringLiteral("aBcDeFgHiJkLmNoPqRsTuVwXyZ012345");
    return p;
}
} // namespace

class TestProfileDialogs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void editorBlocksOkUntilTheProfileIsValid();
    void editorExplainsEachMistake_data();
    void editorExplainsEachMistake();
    void editorShowsTheDerivedProviderName();
    void editorMnemonicsReachTheirFields();
    void editorRoundTripsTheDynamoDbStore();
    void editorExplainsDynamoDbMistakes();
    void profilesDialogAddsDuplicatesAndDeletes();
    void importsAProfileFile();
    void importingAProfileWithACaShowsItFirst();
    void choosingAProfileRebuildsTheWindow();
    void deletingAProfileRemovesItsSignIns();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProfileStore> m_store;
};

void TestProfileDialogs::initTestCase()
{
    applyApplicationIdentity();
}

void TestProfileDialogs::init()
{
    m_store = std::make_unique<ProfileStore>(
        m_dir.filePath(QStringLiteral("%1.ini").arg(QLatin1String(QTest::currentTestFunction()))));
}

void TestProfileDialogs::editorBlocksOkUntilTheProfileIsValid()
{
    ProfileEditorDialog dialog(Profile{});
    dialog.show();
    QVERIFY(!okButton(&dialog)->isEnabled());
    QVERIFY(ProfileValidator::hasErrors(dialog.issues()));

    type(&dialog, "name", QStringLiteral("Work"));
    type(&dialog, "domain", QStringLiteral("https://work.eu.auth0.com/")); // tolerated, normalized
    type(&dialog, "clientId", QStringLiteral("aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"));
    QVERIFY2(okButton(&dialog)->isEnabled(),
             qPrintable(dialog.findChild<QLabel *>(QStringLiteral("issues"))->text()));
    QCOMPARE(dialog.profile().auth0.domain, QStringLiteral("work.eu.auth0.com"));

    // Half a Cognito side is an error again: the pool id is missing.
    type(&dialog, "region", QStringLiteral("eu-west-1"));
    QVERIFY(!okButton(&dialog)->isEnabled());
    type(&dialog, "identityPoolId", QStringLiteral("eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
    QVERIFY2(okButton(&dialog)->isEnabled(),
             qPrintable(dialog.findChild<QLabel *>(QStringLiteral("issues"))->text()));
}

void TestProfileDialogs::editorExplainsEachMistake_data()
{
    QTest::addColumn<QString>("widget");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("field");
    QTest::newRow("domain with a path")
        << QStringLiteral("domain") << QStringLiteral("tenant.auth0.com/authorize")
        << QStringLiteral("auth0.domain");
    QTest::newRow("client id with spaces")
        << QStringLiteral("clientId") << QStringLiteral("my client id") << QStringLiteral("auth0.client_id");
    QTest::newRow("plain http issuer")
        << QStringLiteral("domain") << QStringLiteral("http://tenant.auth0.com")
        << QStringLiteral("auth0.domain");
    QTest::newRow("malformed pool id")
        << QStringLiteral("identityPoolId") << QStringLiteral("eu-west-1-not-a-uuid")
        << QStringLiteral("cognito.identity_pool_id");
    QTest::newRow("non-https endpoint")
        << QStringLiteral("stsEndpoint") << QStringLiteral("http://sts.example.com/")
        << QStringLiteral("cognito.endpoints.sts");
}

void TestProfileDialogs::editorExplainsEachMistake()
{
    QFETCH(QString, widget);
    QFETCH(QString, value);
    QFETCH(QString, field);
    Profile start = validProfile(QStringLiteral("Work"));
    start.cognito.region = QStringLiteral("eu-west-1");
    start.cognito.identityPoolId = QStringLiteral("eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    ProfileEditorDialog dialog(start);
    dialog.show();
    QVERIFY(okButton(&dialog)->isEnabled());
    type(&dialog, widget.toLatin1().constData(), value);

    QVERIFY(!okButton(&dialog)->isEnabled());
    const auto issue = std::find_if(dialog.issues().cbegin(), dialog.issues().cend(),
                                    [&](const ProfileIssue &i) { return i.field == field; });
    QVERIFY2(issue != dialog.issues().cend(), qPrintable(field));
    // Said in words under the tabs, with what to do, and on the field itself.
    const QString shown = dialog.findChild<QLabel *>(QStringLiteral("issues"))->text();
    QVERIFY2(shown.contains(issue->error.what.toHtmlEscaped()), qPrintable(shown));
    QVERIFY(!issue->error.action.isEmpty());
    QCOMPARE(dialog.findChild<QWidget *>(widget)->toolTip(), issue->error.text());
}

void TestProfileDialogs::editorShowsTheDerivedProviderName()
{
    ProfileEditorDialog dialog(validProfile(QStringLiteral("Work")));
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("providerName"))->placeholderText(),
             QStringLiteral("derived: work.eu.auth0.com/"));
}

void TestProfileDialogs::editorMnemonicsReachTheirFields()
{
    ProfileEditorDialog dialog(Profile{});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QApplication::setActiveWindow(&dialog);
    QTRY_VERIFY(dialog.isActiveWindow());
    // Every label with a mnemonic has a field to go to (without one, Qt shows the "&" as text).
    QSet<QChar> auth0Keys;
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        const QString text = label->text();
        const qsizetype amp = text.indexOf(QLatin1Char('&'));
        if (amp < 0 || label->textFormat() == Qt::RichText || text.contains(QStringLiteral("&amp;")))
            continue;
        QVERIFY2(label->buddy(), qPrintable(label->objectName() + QStringLiteral(": ") + text));
        const QChar key = text.at(amp + 1).toLower();
        if (label->objectName().startsWith(QStringLiteral("auth0"))) {
            QVERIFY2(!auth0Keys.contains(key), qPrintable(text)); // one field per key
            auth0Keys.insert(key);
        }
    }
    QVERIFY(auth0Keys.size() >= 10);
    // Alt+D goes to the domain, Alt+I to the browser choice.
    QTest::keyClick(&dialog, Qt::Key_D, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("domain"));
    QTest::keyClick(&dialog, Qt::Key_I, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("browser"));
}

void TestProfileDialogs::editorRoundTripsTheDynamoDbStore()
{
    // A DynamoDB profile as its file holds it: loaded, shown, saved unchanged (and again through the file).
    Profile start = validProfile(QStringLiteral("Dynamo"));
    start.id = QStringLiteral("dynamo");
    start.cognito.region = QStringLiteral("eu-west-1");
    start.cognito.identityPoolId = QStringLiteral("eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    start.cognito.store = CognitoSettings::Store::DynamoDb;
    start.cognito.dynamoDbTable = QStringLiteral("fedsync-datasets");
    start.cognito.dynamoDbRegion = QStringLiteral("eu-central-1");
    start.cognito.dynamoDbEndpoint = QStringLiteral("https://dynamodb.example.test:8443/");
    start.cognito.cognitoSyncEndpoint = QStringLiteral("https://cognito-sync.example.test/");
    start.identityCard = false;
    const QString path = m_dir.filePath(QStringLiteral("dynamo.json"));
    QVERIFY(!ProfileFile::save(start, path).isError());
    UserError error;
    const std::optional<Profile> loaded = ProfileFile::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.text()));

    ProfileEditorDialog dialog(*loaded);
    dialog.show();
    QCOMPARE(dialog.findChild<QComboBox *>(QStringLiteral("store"))->currentIndex(), 1);
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("dynamoDbTable"))->text(),
             QStringLiteral("fedsync-datasets"));
    QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("dynamoDbTable"))->isEnabled());
    QVERIFY2(okButton(&dialog)->isEnabled(),
             qPrintable(dialog.findChild<QLabel *>(QStringLiteral("issues"))->text()));
    Profile edited = dialog.profile();
    edited.sourceFile.clear();
    Profile expected = *loaded;
    expected.sourceFile.clear();
    QCOMPARE(edited, expected);
    QCOMPARE(edited.cognito.store, CognitoSettings::Store::DynamoDb);
    QCOMPARE(edited.cognito.dynamoDbRegion, QStringLiteral("eu-central-1"));
    QCOMPARE(edited.cognito.dynamoDbEndpoint, QStringLiteral("https://dynamodb.example.test:8443/"));
    QCOMPARE(edited.cognito.cognitoSyncEndpoint, QStringLiteral("https://cognito-sync.example.test/"));
    QVERIFY(!edited.identityCard); // not shown by the dialog, and not lost by it
    QVERIFY(!ProfileFile::save(edited, path).isError());
    QCOMPARE(ProfileFile::load(path, &error)->cognito, start.cognito);

    // Saved settings too (ProfileStore), after switching to Cognito Sync with the keyboard and back.
    auto *store = dialog.findChild<QComboBox *>(QStringLiteral("store"));
    dialog.findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentWidget(
        dialog.findChild<QWidget *>(QStringLiteral("storeTab")));
    store->setFocus();
    QTest::keyClick(store, Qt::Key_Up);
    QCOMPARE(dialog.profile().cognito.store, CognitoSettings::Store::CognitoSync);
    QVERIFY(!dialog.findChild<QLineEdit *>(QStringLiteral("dynamoDbTable"))->isEnabled());
    QTest::keyClick(store, Qt::Key_Down);
    QCOMPARE(dialog.profile().cognito.store, CognitoSettings::Store::DynamoDb);
    Profile toSave = dialog.profile();
    QVERIFY(!m_store->save(toSave).isError());
    const std::optional<Profile> saved = m_store->profile(QStringLiteral("dynamo"));
    QVERIFY(saved);
    QCOMPARE(saved->cognito, start.cognito);

    // It fits a small screen.
    QVERIFY(dialog.minimumSizeHint().width() <= 800 && dialog.minimumSizeHint().height() <= 600);
    if (const QString shots = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR"); !shots.isEmpty())
        QVERIFY(dialog.grab().save(shots + QStringLiteral("/profile-datasets-tab.png")));
}

void TestProfileDialogs::editorExplainsDynamoDbMistakes()
{
    Profile start = validProfile(QStringLiteral("Work"));
    start.cognito.region = QStringLiteral("eu-west-1");
    start.cognito.identityPoolId = QStringLiteral("eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    ProfileEditorDialog dialog(start);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QApplication::setActiveWindow(&dialog);
    QTRY_VERIFY(dialog.isActiveWindow());
    QVERIFY(okButton(&dialog)->isEnabled());

    // Keyboard only: Alt+K reaches the store choice (on its tab), Down picks DynamoDB.
    dialog.findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentWidget(
        dialog.findChild<QWidget *>(QStringLiteral("storeTab")));
    QTest::keyClick(&dialog, Qt::Key_K, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("store"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
    // No table yet: an error, OK off.
    QVERIFY(!okButton(&dialog)->isEnabled());
    auto shown = [&dialog] { return dialog.findChild<QLabel *>(QStringLiteral("issues"))->text(); };
    QVERIFY2(shown().contains(QStringLiteral("The DynamoDB store needs a table name")), qPrintable(shown()));

    QTest::keyClick(&dialog, Qt::Key_T, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("dynamoDbTable"));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("my table!"));
    QVERIFY(!okButton(&dialog)->isEnabled());
    QVERIFY2(shown().contains(QStringLiteral("is not a DynamoDB table name")), qPrintable(shown()));
    QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("dynamoDbTable"))
                ->toolTip()
                .contains(QStringLiteral("Table names are 3 to 255 letters")));
    type(&dialog, "dynamoDbTable", QStringLiteral("fedsync-datasets"));
    QVERIFY2(okButton(&dialog)->isEnabled(), qPrintable(shown()));

    QTest::keyClick(&dialog, Qt::Key_G, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("dynamoDbRegion"));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("europe"));
    QVERIFY(!okButton(&dialog)->isEnabled());
    QVERIFY2(shown().contains(QStringLiteral("is not an AWS region")), qPrintable(shown()));
    QVERIFY(!dialog.findChild<QLineEdit *>(QStringLiteral("dynamoDbRegion"))->toolTip().isEmpty());
    type(&dialog, "dynamoDbRegion", QStringLiteral("eu-central-1"));
    QVERIFY2(okButton(&dialog)->isEnabled(), qPrintable(shown()));

    // A plain-http endpoint is refused like the other endpoints.
    type(&dialog, "dynamoDbEndpoint", QStringLiteral("http://dynamodb.example.test/"));
    QVERIFY(!okButton(&dialog)->isEnabled());
    QVERIFY(!dialog.findChild<QLineEdit *>(QStringLiteral("dynamoDbEndpoint"))->toolTip().isEmpty());
    dialog.findChild<QLineEdit *>(QStringLiteral("dynamoDbEndpoint"))->clear();
    QVERIFY2(okButton(&dialog)->isEnabled(), qPrintable(shown()));

    // Back to Cognito Sync: the DynamoDB fields no longer count.
    type(&dialog, "dynamoDbTable", QStringLiteral("x"));
    QVERIFY(!okButton(&dialog)->isEnabled());
    auto *store = dialog.findChild<QComboBox *>(QStringLiteral("store"));
    store->setFocus();
    QTest::keyClick(store, Qt::Key_Up);
    QVERIFY2(okButton(&dialog)->isEnabled(), qPrintable(shown()));
}

void TestProfileDialogs::profilesDialogAddsDuplicatesAndDeletes()
{
    ProfilesDialog dialog(*m_store);
    dialog.show();
    auto *list = dialog.findChild<QListWidget *>(QStringLiteral("profileList"));
    QCOMPARE(list->count(), 0);

    dialog.findChild<QPushButton *>(QStringLiteral("newProfile"))->click();
    ProfileEditorDialog *editor = nullptr;
    QTRY_VERIFY((editor = dialog.findChild<ProfileEditorDialog *>()));
    type(editor, "name", QStringLiteral("Team tenant"));
    type(editor, "domain", QStringLiteral("team.us.auth0.com"));
    type(editor, "clientId", QStringLiteral("aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"));
    QTest::mouseClick(okButton(editor), Qt::LeftButton);
    QTRY_COMPARE(list->count(), 1);
    QVERIFY(m_store->contains(QStringLiteral("team-tenant")));
    QCOMPARE(m_store->profile(QStringLiteral("team-tenant"))->auth0.domain,
             QStringLiteral("team.us.auth0.com"));

    dialog.findChild<QPushButton *>(QStringLiteral("duplicateProfile"))->click();
    QCOMPARE(list->count(), 2);
    QCOMPARE(m_store->profiles().size(), 2);

    // Delete asks first; Cancel keeps it.
    const QString doomed = dialog.selectedProfileId();
    dialog.findChild<QPushButton *>(QStringLiteral("deleteProfile"))->click();
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY((confirm = dialog.findChild<QMessageBox *>()));
    confirm->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!dialog.findChild<QMessageBox *>());
    QVERIFY(m_store->contains(doomed));
    dialog.findChild<QPushButton *>(QStringLiteral("deleteProfile"))->click();
    QTRY_VERIFY((confirm = dialog.findChild<QMessageBox *>()));
    confirm->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(list->count(), 1);
    QVERIFY(!m_store->contains(doomed));
}

void TestProfileDialogs::importsAProfileFile()
{
    Profile fromFile = validProfile(QStringLiteral("Sandbox"));
    fromFile.cognito.region = QStringLiteral("us-east-1");
    fromFile.cognito.identityPoolId = QStringLiteral("us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    const QString path = m_dir.filePath(QStringLiteral("profile.json"));
    QVERIFY(!ProfileFile::save(fromFile, path).isError());

    ProfilesDialog dialog(*m_store);
    dialog.setFilePicker([path] { return path; });
    dialog.show();
    dialog.findChild<QPushButton *>(QStringLiteral("importProfile"))->click();
    ProfileEditorDialog *editor = nullptr;
    QTRY_VERIFY((editor = dialog.findChild<ProfileEditorDialog *>()));
    QCOMPARE(editor->profile().cognito.identityPoolId, fromFile.cognito.identityPoolId);
    QTest::mouseClick(okButton(editor), Qt::LeftButton);
    QTRY_COMPARE(m_store->profiles().size(), 1);
    QCOMPARE(m_store->profiles().first().auth0.clientId, fromFile.auth0.clientId);
}

// A profile file that carries a CA: before anything is imported, the user is shown the CA's subject and
// SHA-256 fingerprint (as openssl computes it) and the hosts it will be trusted for; "no" imports nothing.
void TestProfileDialogs::importingAProfileWithACaShowsItFirst()
{
    const QString caFile = m_dir.filePath(QStringLiteral("import-ca.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=Import Test CA"), QStringLiteral("-days"), QStringLiteral("1"),
                   QStringLiteral("-keyout"), m_dir.filePath(QStringLiteral("import-ca.key")),
                   QStringLiteral("-out"), caFile});
    QVERIFY(openssl.waitForFinished(30000) && openssl.exitCode() == 0);
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("x509"), QStringLiteral("-in"), caFile, QStringLiteral("-noout"),
                   QStringLiteral("-fingerprint"), QStringLiteral("-sha256")});
    QVERIFY(openssl.waitForFinished(30000) && openssl.exitCode() == 0);
    const QString fingerprint =
        QString::fromLatin1(openssl.readAllStandardOutput()).trimmed().section(u'=', 1);
    QCOMPARE(fingerprint.size(), 95);

    Profile fromFile = validProfile(QStringLiteral("With CA"));
    fromFile.caFile = caFile;
    const QString path = m_dir.filePath(QStringLiteral("with-ca.json"));
    QVERIFY(!ProfileFile::save(fromFile, path).isError());
    const qsizetype before = m_store->profiles().size();

    ProfilesDialog dialog(*m_store);
    dialog.setFilePicker([path] { return path; });
    QStringList asked;
    bool answer = false;
    dialog.setConfirm([&](QWidget *, const QString &, const QString &text, std::function<void(bool)> reply) {
        asked << text;
        reply(answer);
    });
    dialog.show();
    dialog.findChild<QPushButton *>(QStringLiteral("importProfile"))->click();
    QTRY_COMPARE(asked.size(), 1);
    QVERIFY2(asked.first().contains(QStringLiteral("SHA-256 ") + fingerprint), qPrintable(asked.first()));
    QVERIFY2(asked.first().contains(QStringLiteral("Import Test CA")), qPrintable(asked.first()));
    QVERIFY2(asked.first().contains(fromFile.auth0.issuer().host()), qPrintable(asked.first()));
    QTest::qWait(100);
    QVERIFY(!dialog.findChild<ProfileEditorDialog *>()); // refused: nothing imported
    QCOMPARE(m_store->profiles().size(), before);

    answer = true;
    dialog.findChild<QPushButton *>(QStringLiteral("importProfile"))->click();
    QTRY_COMPARE(asked.size(), 2);
    ProfileEditorDialog *editor = nullptr;
    QTRY_VERIFY((editor = dialog.findChild<ProfileEditorDialog *>()));
    QCOMPARE(editor->profile().caFile, caFile);
}

void TestProfileDialogs::choosingAProfileRebuildsTheWindow()
{
    Profile a = validProfile(QStringLiteral("Alpha"));
    Profile b = validProfile(QStringLiteral("Beta"));
    QVERIFY(!m_store->save(a).isError());
    QVERIFY(!m_store->save(b).isError());
    QVERIFY(m_store->setCurrentProfileId(a.id));

    MemorySecretStore secrets;
    AppShell shell(*m_store, &secrets);
    shell.start();
    QVERIFY(shell.window()->windowTitle().contains(QStringLiteral("Alpha")));

    shell.openProfiles();
    ProfilesDialog *dialog = shell.profilesDialog();
    QVERIFY(dialog);
    dialog->selectProfile(b.id);
    dialog->findChild<QPushButton *>(QStringLiteral("useProfile"))->click();
    QTRY_VERIFY(shell.window() && shell.window()->windowTitle().contains(QStringLiteral("Beta")));
    QCOMPARE(m_store->currentProfileId(), b.id);
    QCOMPARE(shell.context()->profile().id, b.id);
}

void TestProfileDialogs::deletingAProfileRemovesItsSignIns()
{
    Profile a = validProfile(QStringLiteral("Alpha"));
    Profile b = validProfile(QStringLiteral("Beta"));
    QVERIFY(!m_store->save(a).isError());
    QVERIFY(!m_store->save(b).isError());
    QVERIFY(m_store->setCurrentProfileId(a.id));
    MemorySecretStore secrets;
    const SessionBinding user{a.auth0.issuer().toString(), a.auth0.clientId, QStringLiteral("auth0|alpha")};
    const QString key = SessionEntry::keyFor(b, user);
    RememberedSessions(b).rememberSignIn(user, key);
    secrets.insert(key, "b's session");
    const QString kept = SessionEntry::keyFor(a, user);
    secrets.insert(kept, "a's session");

    AppShell shell(*m_store, &secrets);
    shell.start();
    shell.openProfiles();
    ProfilesDialog *dialog = shell.profilesDialog();
    dialog->selectProfile(b.id);
    dialog->findChild<QPushButton *>(QStringLiteral("deleteProfile"))->click();
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY((confirm = dialog->findChild<QMessageBox *>()));
    QVERIFY(confirm->informativeText().contains(QStringLiteral("keychain")));
    confirm->button(QMessageBox::Yes)->click();
    QTRY_VERIFY(!secrets.contains(key));
    QVERIFY(secrets.contains(kept));
    QVERIFY(RememberedSessions(b).lastUser().subject.isEmpty());
}

FEDSYNC_GUI_TEST_MAIN(TestProfileDialogs)
#include "tst_profiledialogs.moc"
