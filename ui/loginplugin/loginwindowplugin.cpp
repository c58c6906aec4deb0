// The login-window plugin: loaded with QPluginLoader the first time an embedded sign-in page is shown
// (ui/loginwindowloader.cpp), so WebEngine, Quick and QML are mapped only then.
//
// The custom redirect scheme: Qt's documentation asks for QWebEngineUrlScheme::registerScheme() before
// QApplication, but what Qt enforces is "before WebEngine's context starts": the registry is locked when
// the first QWebEngineProfile (or page) creates the context. This plugin registers the scheme when it is
// loaded, before it creates any profile, and nothing else in the process touches WebEngine, so the
// scheme is in place in time (tst_loginwindow signs in through org.fedsync.app://callback this way).
//
// The shared OpenGL context: WebEngine needs Qt's global share context, which QGuiApplication creates
// at start only when Qt::AA_ShareOpenGLContexts is set - at every start, Mesa and LLVM included, even
// when no page is ever shown. main() leaves the attribute off; the plugin creates the context as
// QGuiApplication would have, when it is loaded, before WebEngine initializes.
#include "logindialog.h"
#include "loginwindow.h"
#include "redirectschemehandler.h"

#include <QCoreApplication>
#include <QObject>
#include <QOpenGLContext>
#include <QSurfaceFormat>

QT_BEGIN_NAMESPACE
// Exported by Qt GUI (declared in its private qopenglcontext_p.h, not installed here): what
// QGuiApplication calls when Qt::AA_ShareOpenGLContexts is set.
Q_GUI_EXPORT void qt_gl_set_global_share_context(QOpenGLContext *context);
QT_END_NAMESPACE

namespace fedsync::ui {

class LoginWindowPlugin final : public QObject, public LoginWindowFactory
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID FEDSYNC_LOGIN_WINDOW_FACTORY_IID)
    Q_INTERFACES(fedsync::ui::LoginWindowFactory)
public:
    LoginWindowPlugin()
    {
        RedirectSchemeHandler::registerSchemes();
        if (!QOpenGLContext::globalShareContext()) {
            QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
            // Lives as long as the process (WebEngine keeps using it until the end).
            auto *context = new QOpenGLContext;
            context->setFormat(QSurfaceFormat::defaultFormat());
            context->create();
            qt_gl_set_global_share_context(context);
        }
    }

    LoginDialog *createLoginWindow(SignInPageFlow *flow, const Profile &profile, const UserError &explanation,
                                   QWidget *parent) override
    {
        return new LoginWindow(flow, profile, explanation, parent);
    }
};

} // namespace fedsync::ui

#include "loginwindowplugin.moc"
