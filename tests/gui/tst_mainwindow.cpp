// The main window as a user first meets it: it shows, has the app's name and icon, and an About box
// with the build's version.
#include "aboutdialog.h"
#include "buildinfo.h"
#include "clilogin.h"
#include "config/appidentity.h"
#include "guitestmain.h"
#include "mainwindow.h"

#include <QAction>
#include <QElapsedTimer>
#include <QLabel>
#include <QMenuBar>
#include <QProcess>

using namespace fedsync::ui;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { fedsync::applyApplicationIdentity(); }
    void showsWithNameAndIcon();
    void aboutShowsVersion();
    void serverTextIsShownAsPlainText();
    void unknownProfileIsNamedByBothFrontEnds();
};

void TestMainWindow::showsWithNameAndIcon()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.windowTitle().contains(QStringLiteral("Fedsync")));
    QVERIFY(!window.windowIcon().isNull());
    QVERIFY(!window.windowIcon().pixmap(32, 32).isNull());
    QVERIFY(window.width() >= 600);
}

void TestMainWindow::aboutShowsVersion()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QAction *about = nullptr;
    for (QAction *a : window.findChildren<QAction *>())
        if (a->objectName() == QStringLiteral("actionAbout"))
            about = a;
    QVERIFY(about);
    about->trigger();
    AboutDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<AboutDialog *>()) && dialog->isVisible());
    QVERIFY(dialog->versionText().contains(QString::fromLatin1(fedsync::buildinfo::version)));
    dialog->reject();
    QTRY_VERIFY(!window.findChild<AboutDialog *>());
}

// Text from a server or an ID token (an email, a user id, an error) is never read as rich text: markup in
// it stays visible as characters and cannot style or link anything.
void TestMainWindow::serverTextIsShownAsPlainText()
{
    MainWindow window;
    window.showProblem(fedsync::UserError::make(QStringLiteral("x"), QStringLiteral("<b>bold</b><a href=\"https://evil.example\">here</a>")));
    for (const char *name : {"userEmail", "userSub", "storageNotice", "signedOutHint"}) {
        auto *label = window.findChild<QLabel *>(QString::fromLatin1(name));
        QVERIFY2(label, name);
        QVERIFY2(label->textFormat() == Qt::PlainText, name);
    }
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("signedOutHint"))->text().contains(QStringLiteral("<b>bold</b>")));
}

// `--profile` naming no saved profile: the window and fedsync-cli say the same thing (one ProfileSelection),
// whether the window was asked for the support console or the main window. The window
// says it in its message box and on stderr; the test reads stderr, then closes the box's process.
void TestMainWindow::unknownProfileIsNamedByBothFrontEnds()
{
    const QString expected = QStringLiteral("There is no profile \"nope\"");
    const fedsync::test::CliRun cli = fedsync::test::runCli(
        {QStringLiteral("--profile"), QStringLiteral("nope"), QStringLiteral("whoami")});
    QCOMPARE(cli.exitCode, 1);
    QVERIFY2(cli.err.contains(expected), qPrintable(cli.err));
    QVERIFY2(cli.err.contains(QStringLiteral("--profile-file")), qPrintable(cli.err));

    for (const QStringList &mode : {QStringList{QStringLiteral("--support")}, QStringList{}}) {
        QProcess gui;
        gui.start(fedsync::test::binDir() + QStringLiteral("/fedsync"),
                  mode + QStringList{QStringLiteral("--profile"), QStringLiteral("nope")});
        QVERIFY2(gui.waitForStarted(10000), qPrintable(gui.errorString()));
        QString err;
        QElapsedTimer waited;
        waited.start();
        while (!err.contains(expected) && gui.state() == QProcess::Running && waited.elapsed() < 30000) {
            gui.waitForReadyRead(1000);
            err += QString::fromUtf8(gui.readAllStandardError());
        }
        gui.kill();
        gui.waitForFinished(10000);
        err += QString::fromUtf8(gui.readAllStandardError());
        QVERIFY2(err.contains(expected),
                 qPrintable(mode.join(QLatin1Char(' ')) + QStringLiteral(": ") + err));
        QVERIFY2(!err.contains(QStringLiteral("No profile is selected")), qPrintable(err));
    }
}

FEDSYNC_GUI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
