// The support console window against the real sandbox, under Xvfb: staff keys from the environment, a
// real signed-in user (keychain, Auth0 emulator) whose sync wrote her identity card, a pool seeded past
// two ListIdentities pages. Browse page by page (QAbstractItemModelTester on the model), find by email,
// open the user's records read-only in the editor's table, export, and "Edit as support" with its
// confirmation naming the user and its audit entry. Without staff keys the console does not open.
#include "clilogin.h"
#include "guitestmain.h"
#include "recordtablemodel.h"
#include "sandbox.h"
#include "session/profilecontext.h"
#include "support/auditlog.h"
#include "support/identitylistmodel.h"
#include "support/supportconsole.h"
#include "supportconsolechecks.h"
#include "supportdesk.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;
using namespace fedsync::ui;

class TestSupportConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void withoutStaffCredentialsTheConsoleSaysWhatIsNeeded();
    void browsesThePoolPageByPage();
    void findsTheUserOpensRecordsExportsAndEditsWithAudit();

private:
    Sandbox m_sandbox;
    SupportDesk m_desk;
    QString m_aliceIdentity;
};

void TestSupportConsole::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("Needs a D-Bus session with gnome-keyring: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    // Her sync also sends the identity card her sign-in recorded.
    QString problem;
    m_aliceIdentity =
        cliSignInAndSync(m_sandbox, 0, m_sandbox.profileFile(), QStringLiteral("hello alice"), &problem);
    QVERIFY2(!m_aliceIdentity.isEmpty(), qPrintable(problem));
    const QJsonObject seeded = m_sandbox.adminPost(
        QStringLiteral("admin/seed"), {{QStringLiteral("identities"), 150}, {QStringLiteral("cards"), true}});
    QCOMPARE(seeded.value(QStringLiteral("created")).toInt(), 150);

    const QString opened = m_desk.open(m_sandbox, m_sandbox.profileFile());
    QVERIFY2(opened.isEmpty(), qPrintable(opened));
}

void TestSupportConsole::withoutStaffCredentialsTheConsoleSaysWhatIsNeeded()
{
    m_desk.removeStaffKeys();
    QWidget parent;
    parent.show();
    // Alice is signed in, but her session is not a staff member's credentials.
    QCOMPARE(SupportConsole::open(m_desk.context(), &parent), nullptr);
    QMessageBox *box = parent.findChild<QMessageBox *>();
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QCOMPARE(box->text(), QStringLiteral("Support needs your own AWS credentials"));
    QVERIFY2(box->informativeText().contains(QLatin1String("cognito-identity:ListIdentities")),
             qPrintable(box->informativeText()));
    QVERIFY(box->informativeText().contains(QLatin1String("AWS_ACCESS_KEY_ID")));
    box->close();
}

void TestSupportConsole::browsesThePoolPageByPage()
{
    m_desk.useDeveloperKeys(m_sandbox);
    QPointer<SupportConsole> console = SupportConsole::open(m_desk.context());
    QVERIFY(console);
    IdentityListModel *model = console->identityModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // The view asks for the first page as it shows.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 60, 10000);
    QCOMPARE(model->pagesFetched(), 1);
    QCOMPARE(model->headerData(IdentityListModel::LoginsColumn, Qt::Horizontal).toString(),
             QStringLiteral("Linked logins"));
    QCOMPARE(model->index(0, IdentityListModel::IdentityColumn).data().toString(), m_aliceIdentity);
    QCOMPARE(model->index(0, IdentityListModel::LoginsColumn).data().toString(),
             m_sandbox.ready().value(QStringLiteral("provider_name")).toString());
    // Scrolling down fetches further pages, one page per fetch, until the end of the pool.
    for (int attempt = 0; attempt < 10 && (model->canFetchMore({}) || model->isFetching()); ++attempt) {
        const int before = model->rowCount();
        console->identityView()->scrollToBottom();
        QTRY_VERIFY_WITH_TIMEOUT(
            model->rowCount() > before || (!model->canFetchMore({}) && !model->isFetching()), 10000);
        QCOMPARE(model->rowCount(), qMin(151, model->pagesFetched() * 60));
    }
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 151, 10000);
    QCOMPARE(model->pagesFetched(), 3);
    QVERIFY(!model->canFetchMore({}));
    console->close();
}

void TestSupportConsole::findsTheUserOpensRecordsExportsAndEditsWithAudit()
{
    m_desk.useDeveloperKeys(m_sandbox);
    QPointer<SupportConsole> console = SupportConsole::open(m_desk.context());
    QVERIFY(console);
    console->resize(1100, 720);
    QSignalSpy loaded(console.data(), &SupportConsole::datasetsLoaded);

    // Find by email: the index is empty, so the console crawls until it finds her.
    console->searchKind()->setCurrentIndex(0);
    console->searchField()->setText(m_sandbox.user(0, "email"));
    console->find();
    QTRY_COMPARE_WITH_TIMEOUT(console->currentIdentity(), m_aliceIdentity, 20000);
    QCOMPARE(console->identityModel()->rowCount(), 1);
    QCOMPARE(console->identityModel()->index(0, IdentityListModel::NameColumn).data().toString(),
             m_sandbox.user(0, "name"));
    // The datasets may have loaded already while the crawl ended: count, do not wait for another one.
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 20000);
    QTRY_VERIFY(console->detailsLabel()->text().contains(m_sandbox.user(0, "sub")));
    QVERIFY(console->detailsLabel()->text().contains(QLatin1String("Usage: 2 datasets")));

    // Datasets: records, size, last change, last writer; the records in the editor's table, read-only.
    QTableWidget *datasets = console->datasetTable();
    QCOMPARE(datasets->rowCount(), 2);
    const int notesRow = datasetRow(*console, QStringLiteral("notes"));
    QVERIFY(notesRow >= 0);
    QCOMPARE(datasets->item(notesRow, 1)->text(), QStringLiteral("1"));
    QCOMPARE(datasets->item(notesRow, 4)->text(), m_aliceIdentity);
    datasets->setCurrentCell(notesRow, 0);
    checkGreetingShownReadOnly(*console, QStringLiteral("hello alice"));
    if (QTest::currentTestFailed())
        return;

    // Export: values masked unless asked for.
    EditorPrompts prompts = EditorPrompts::dialogs();
    const QString exportPath = m_desk.filePath(QStringLiteral("alice.json"));
    prompts.saveFile = [exportPath](QWidget *, const QString &, const QString &,
                                    std::function<void(QString)> done) {
        done(exportPath);
    };
    QString confirmation;
    bool answer = false;
    prompts.confirm = [&confirmation, &answer](QWidget *, const QString &, const QString &text,
                                               std::function<void(bool)> done) {
        confirmation = text;
        done(answer);
    };
    console->setPrompts(prompts);
    QSignalSpy exported(console.data(), &SupportConsole::exported);
    console->exportData(false);
    QCOMPARE(exported.count(), 1);
    QFile file(exportPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray json = file.readAll();
    QVERIFY(json.contains(m_aliceIdentity.toUtf8()));
    QVERIFY(json.contains("\"greeting\""));
    QVERIFY2(!json.contains("hello alice"), json.constData());

    // Edit as support: the confirmation names the user; declining changes nothing.
    console->editButton()->click();
    QVERIFY2(confirmation.contains(m_sandbox.user(0, "name")) &&
                 confirmation.contains(m_sandbox.user(0, "email")),
             qPrintable(confirmation));
    QVERIFY(!console->isEditing());
    answer = true;
    console->editButton()->click();
    QVERIFY(console->isEditing());
    QVERIFY(console->recordView()->editTriggers() != QAbstractItemView::NoEditTriggers);

    const support::AuditEntry entry = writeGreetingAsSupport(*console, m_aliceIdentity);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(entry.who.endsWith(QLatin1String(":user/fedsync-support")));
    // The user's own next sync gets it.
    const QStringList profile{QStringLiteral("--profile-file"), m_sandbox.profileFile()};
    const CliRun userSync = runCli(profile + QStringList{QStringLiteral("sync")});
    QVERIFY2(userSync.exitCode == 0, qPrintable(userSync.out + userSync.err.right(1500)));
    QCOMPARE(runCli(profile +
                    QStringList{QStringLiteral("get"), QStringLiteral("notes"), QStringLiteral("greeting")})
                 .out.trimmed(),
             QStringLiteral("fixed by support"));

    const QString shot = qEnvironmentVariable("FEDSYNC_SCREENSHOT_DIR");
    if (!shot.isEmpty())
        console->grab().save(shot + QStringLiteral("/support-console.png"));
    console->close();
}

FEDSYNC_GUI_TEST_MAIN(TestSupportConsole)
#include "tst_supportconsole.moc"
