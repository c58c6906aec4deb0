// Tools > Migrate from Cognito Sync…: enabled while signed in with a profile that keeps its datasets in
// DynamoDB and names the Cognito Sync endpoint to migrate from (its tooltip says why otherwise). Opens
// the MigrationDialog; once a run wrote something, the window's dataset editor synchronizes so the copied
// datasets show.
#pragma once

namespace fedsync {
class ProfileContext;
}

namespace fedsync::ui {

class MainWindow;

// Adds the action to the window's Tools menu (objectName "menuTools"). `context` may be null.
void installMigrationAction(MainWindow *window, ProfileContext *context);

} // namespace fedsync::ui
