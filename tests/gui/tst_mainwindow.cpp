// The main window as a user first meets it: it shows, has the app's name and icon, and an About box
// with the build's version.
#include "aboutdialog.h"
#include "buildinfo.h"
#include "config/appidentity.h"
#include "mainwindow.h"
#include "guitestmain.h"

#include <QAction>
#include <QMenuBar>

using namespace fedsync::ui;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { fedsync::applyApplicationIdentity(); }
    void showsWithNameAndIcon();
    void aboutShowsVersion();
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

FEDSYNC_GUI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
