// `fedsync --sign-in-page`: the process that shows the embedded sign-in page for the app
// (usecases/SignInPageProcess). It takes the profile and the sign-in's steps from the app over
// stdin/stdout (usecases/RelayedSignInFlow) and shows the login window; it exits 0 once the app signed
// in, 1 when the window was closed or the app went away.
#pragma once

namespace fedsync::ui {

// Runs the page process's event loop; call with a QApplication in place.
int runSignInPage();

} // namespace fedsync::ui
