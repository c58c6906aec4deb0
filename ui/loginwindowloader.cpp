#include "loginwindowloader.h"

#include "common/pluginfiles.h"
#include "log/logcategories.h"
#include "logindialog.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPluginLoader>

namespace fedsync::ui {

namespace {

constexpr auto pluginFile = "fedsync_loginwindow.so";

QStringList candidatePaths()
{
    return pluginCandidates(QLatin1String(pluginFile));
}

} // namespace

LoginWindowFactory *loadLoginWindowFactory(UserError *error)
{
    static QPluginLoader *loader = nullptr;
    if (loader)
        return qobject_cast<LoginWindowFactory *>(loader->instance());

    QString reason = QCoreApplication::translate("LoginWindowLoader", "It is in none of: %1")
                         .arg(candidatePaths().join(QStringLiteral(", ")));
    for (const QString &path : candidatePaths()) {
        if (!QFileInfo::exists(path))
            continue;
        auto candidate = std::make_unique<QPluginLoader>(path);
        // WebEngine cannot be unloaded; resolving every symbol now turns a mismatched plugin into an error
        // here instead of a crash later.
        candidate->setLoadHints(QLibrary::PreventUnloadHint | QLibrary::ResolveAllSymbolsHint);
        if (qobject_cast<LoginWindowFactory *>(candidate->instance())) {
            qCInfo(lcUi) << "Loaded the login window from" << path;
            loader = candidate.release();
            return qobject_cast<LoginWindowFactory *>(loader->instance());
        }
        reason = candidate->errorString();
        qCWarning(lcUi) << "Could not load the login window from" << path << ":" << reason;
    }
    if (error)
        *error = UserError::make(
            QStringLiteral("ui.login.plugin"),
            QCoreApplication::translate("LoginWindowLoader", "The sign-in window could not be opened"),
            QCoreApplication::translate("LoginWindowLoader",
                                        "Its part (%1) is missing or does not match this "
                                        "version of Fedsync. %2")
                .arg(QLatin1String(pluginFile), reason),
            QCoreApplication::translate("LoginWindowLoader",
                                        "Reinstall Fedsync, or set the profile's browser to \"system\""));
    return nullptr;
}

} // namespace fedsync::ui
