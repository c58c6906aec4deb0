// Adds View > Flow inspector and Tools > Check setup… / Decode JWT… to a main window, for one profile's
// ProfileContext (may be null: then only the JWT view is offered). Kept apart from MainWindow so the
// window only makes one call.
#pragma once

class QMainWindow;

namespace fedsync {
class ProfileContext;
}

namespace fedsync::ui {

// Actions are named actionFlowInspector, actionCheckSetup and actionDecodeJwt.
void installInspectorMenus(QMainWindow *window, ProfileContext *context);

} // namespace fedsync::ui
