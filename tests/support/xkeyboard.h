// A keyboard for windows of other processes under the test's X display (Xvfb), through xdotool: finds a
// process's window by its title, gives it the input focus (there is no window manager under Xvfb), and
// types into it with XTEST key events, as a keyboard-only user would.
#pragma once

#include <QString>

namespace fedsync::test::xkeyboard {

// The X window of process `pid` whose title contains `title`, waiting up to `timeoutMs`; empty if none
// (errorString() says why, e.g. xdotool is not installed).
QString findWindow(qint64 pid, const QString &title, int timeoutMs = 30000);
bool focus(const QString &window);
// Text as typed characters; `key` takes xdotool key names ("Tab", "Return", "Escape").
bool type(const QString &text);
bool key(const QString &name);
QString errorString();

} // namespace fedsync::test::xkeyboard
