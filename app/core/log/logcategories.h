// One logging category per module ("fedsync.<module>"), enabled with QT_LOGGING_RULES
// (QT_LOGGING_RULES="fedsync.*.debug=true" for all of them). A module logs under its own category only:
// app/core/<module> under fedsync.<module>, ui/ under fedsync.ui, app/cli under fedsync.cli and
// app/gui (the desktop app's start-up) under fedsync.app.
// Log events, not values: anything secret goes through fedsync::redact() first.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcCli)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcAws)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcInspect)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcOidc)
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
Q_DECLARE_LOGGING_CATEGORY(lcSession)
Q_DECLARE_LOGGING_CATEGORY(lcSupport)
Q_DECLARE_LOGGING_CATEGORY(lcSync)
Q_DECLARE_LOGGING_CATEGORY(lcTrace)
Q_DECLARE_LOGGING_CATEGORY(lcUsecases)
Q_DECLARE_LOGGING_CATEGORY(lcUi)
