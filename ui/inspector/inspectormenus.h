// Adds View > Flow inspector and Tools > Check setup… / Decode JWT… to a main window, for one profile's
// SessionContext (may be null: then only the JWT view is offered). Kept apart from MainWindow so the
// window only makes one call.
#pragma once

class QMainWindow;

namespace fedsync {
class SessionContext;
}

namespace fedsync::ui {

// Actions are named actionFlowInspector, actionCheckSetup and actionDecodeJwt.
void installInspectorMenus(QMainWindow *window, SessionContext *context);

} // namespace fedsync::ui
