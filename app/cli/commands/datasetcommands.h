// fedsync-cli datasets / get / put / rm / sync / export / import: the signed-in user's Cognito Sync
// datasets. Edits go to the local store (offline, pending until `sync`); `sync` talks to Cognito Sync.
#pragma once

namespace fedsync::cli {

class CliApp;

void runDatasets(CliApp &app);
void runGet(CliApp &app);
void runPut(CliApp &app);
void runRm(CliApp &app);
void runSync(CliApp &app);
void runExport(CliApp &app);
void runImport(CliApp &app);

} // namespace fedsync::cli
