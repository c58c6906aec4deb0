#include "loginwindowloader.h"

#include "common/pluginfiles.h"
#include "logindialog.h"

#include <QCoreApplication>

namespace fedsync::ui {

LoginWindowFactory *loadLoginWindowFactory(UserError *error)
{
    static const QString pluginFile = QStringLiteral("fedsync_loginwindow.so");
    static LoginWindowFactory *factory = nullptr; // WebEngine cannot be unloaded: loaded once, kept
    if (factory)
        return factory;
    QString reason;
    factory = qobject_cast<LoginWindowFactory *>(
        loadFedsyncPlugin(pluginFile, FEDSYNC_LOGIN_WINDOW_FACTORY_IID, &reason));
    if (!factory && error)
        *error = UserError::make(
            QStringLiteral("ui.login.plugin"),
            QCoreApplication::translate("LoginWindowLoader", "The sign-in window could not be opened"),
            QCoreApplication::translate("LoginWindowLoader",
                                        "Its part (%1) is missing or does not match this "
                                        "version of Fedsync. %2")
                .arg(pluginFile, reason),
            QCoreApplication::translate("LoginWindowLoader",
                                        "Reinstall Fedsync, or set the profile's browser to \"system\""));
    return factory;
}

} // namespace fedsync::ui
