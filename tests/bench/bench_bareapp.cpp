// The anchor for bench_startup: the smallest Qt Widgets program with a main window (a menu, a status
// bar, a label), started and measured exactly as Fedsync is, at the size of Fedsync's main window
// (ui/mainwindow.ui): the window's backing store is 4 bytes a pixel, so a smaller anchor would count the
// window's size as Fedsync's overhead. bench_startup checks that both windows map at the same size.
#include <QApplication>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.setWindowTitle(QStringLiteral("Bare"));
    window.menuBar()
        ->addMenu(QStringLiteral("&File"))
        ->addAction(QStringLiteral("&Quit"), &app, &QCoreApplication::quit);
    window.setCentralWidget(new QLabel(QStringLiteral("A bare Qt main window")));
    window.statusBar()->showMessage(QStringLiteral("Ready"));
    window.resize(960, 640);
    window.show();
    return QApplication::exec();
}
