#include "inspectormenus.h"

#include "doctordialog.h"
#include "flowinspector.h"
#include "jwtdialog.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"

#include <QAction>
#include <QCoreApplication>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>

namespace fedsync::ui {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("InspectorMenus", text);
}

template<typename Widget, typename Make> void showReused(QMainWindow *window, const char *name, Make make)
{
    auto *widget = window->findChild<Widget *>(QLatin1String(name));
    if (!widget) {
        widget = make();
        widget->setObjectName(QLatin1String(name));
    }
    widget->show();
    widget->raise();
    widget->activateWindow();
}
} // namespace

void installInspectorMenus(QMainWindow *window, ProfileContext *context)
{
    QMenuBar *bar = window->menuBar();
    QAction *before = bar->actions().isEmpty() ? nullptr : bar->actions().constLast(); // Help stays last
    auto *view = new QMenu(tr("&View"), bar);
    auto *tools = new QMenu(tr("&Tools"), bar);
    tools->setObjectName(QStringLiteral("menuTools")); // other features add their tools here
    bar->insertMenu(before, view);
    bar->insertMenu(before, tools);

    QPointer<ProfileContext> session(context);
    QAction *inspector = view->addAction(tr("&Flow inspector"));
    inspector->setObjectName(QStringLiteral("actionFlowInspector"));
    inspector->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    inspector->setEnabled(context);
    QObject::connect(inspector, &QAction::triggered, window, [window, session] {
        if (!session)
            return;
        showReused<FlowInspector>(window, "flowInspector", [&] {
            auto *w = new FlowInspector(session->trace(), window);
            w->setWindowFlag(Qt::Window);
            w->setIdTokenSource([session] {
                return session && session->session()->isSignedIn() ? session->session()->idToken()
                                                                   : QString();
            });
            return w;
        });
    });

    QAction *doctor = tools->addAction(tr("&Check setup…"));
    doctor->setObjectName(QStringLiteral("actionCheckSetup"));
    doctor->setEnabled(context);
    QObject::connect(doctor, &QAction::triggered, window, [window, session] {
        if (!session)
            return;
        auto *dialog = window->findChild<DoctorDialog *>();
        if (!dialog)
            dialog = new DoctorDialog(session, window);
        dialog->show();
        dialog->raise();
        dialog->start();
    });

    QAction *jwt = tools->addAction(tr("&Decode JWT…"));
    jwt->setObjectName(QStringLiteral("actionDecodeJwt"));
    QObject::connect(jwt, &QAction::triggered, window, [window, session] {
        showReused<JwtDialog>(window, "jwtDialog", [&] { return new JwtDialog(session, window); });
    });
}

} // namespace fedsync::ui
