#include "log/logcategories.h"

Q_LOGGING_CATEGORY(lcApp, "fedsync.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "fedsync.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "fedsync.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOidc, "fedsync.oidc", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "fedsync.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAws, "fedsync.aws", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "fedsync.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSession, "fedsync.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "fedsync.ui", QtInfoMsg)
