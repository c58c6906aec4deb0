// The main window as a user first meets it: it shows, has the app's name and icon, and an About box
// with the build's version.
#include "aboutdialog.h"
#include "buildinfo.h"
#include "config/appidentity.h"
#include "mainwindow.h"
#include "guitestmain.h"

#include <QAction>
#include <QLabel>
#include <QMenuBar>

using namespace fedsync::ui;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { fedsync::applyApplicationIdentity(); }
    void showsWithNameAndIcon();
    void aboutShowsVersion();
    void serverTextIsShownAsPlainText();
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

FEDSYNC_GUI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
