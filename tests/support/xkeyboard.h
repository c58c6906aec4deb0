// A keyboard for windows of other processes under the test's X display (Xvfb), through xdotool: finds a
// process's window by its title, gives it the input focus (there is no window manager under Xvfb), and
// types into it with XTEST key events, as a keyboard-only user would.
#pragma once

#include <QRect>
#include <QString>

#include <functional>

namespace fedsync::test::xkeyboard {

// The X window of process `pid` (0: any process) whose title contains `title` (plain text), waiting up to
// `timeoutMs`; empty if none (errorString() says why, e.g. xdotool is not installed).
QString findWindow(qint64 pid, const QString &title, int timeoutMs = 30000);
// Waits up to `timeoutMs` until process `pid` has no visible window titled `title`; false if one stays.
bool waitUntilGone(qint64 pid, const QString &title, int timeoutMs = 10000);
// The process that owns `window` (its _NET_WM_PID); 0 if unknown.
qint64 windowPid(const QString &window);
// The process owning the visible window titled `title` (any process), waiting up to `timeoutMs`; 0 if
// none. Asks again when the window was replaced between the search and the question.
qint64 windowOwner(const QString &title, int timeoutMs = 60000);
bool focus(const QString &window);
// Where `window` is on its screen (position and size, as xdotool getwindowgeometry tells); null if unknown.
QRect geometry(const QString &window);
// Finds and focuses the window (findWindow's arguments), again if it was replaced meanwhile (Qt makes a
// new X window when a top-level's surface changes, e.g. when a web view is added); its id, or empty.
QString focusWindow(qint64 pid, const QString &title, int timeoutMs = 30000);
// Text as typed characters; `key` takes xdotool key names ("Tab", "Return", "Escape").
bool type(const QString &text);
bool key(const QString &name);
QString errorString();

// What a keyboard-only user of the real `fedsync` (process `appPid`, signed out) does to sign in: Account
// > Sign in… (Alt+A, S; again while the item is still greyed out), then in the page's window (another
// process: `fedsync --sign-in-page`) the username, Tab, the password, Return. The page process's pid,
// or 0 with errorString() saying where it stopped. `beforeTyping` runs once the page is up.
// In the sign-in page's window of process `pagePid` (once the page is there): the username, Tab, the
// password, Return.
bool typeCredentials(qint64 pagePid, const QString &username, const QString &password);
qint64 signInThroughPage(qint64 appPid, const QString &username, const QString &password,
                         const std::function<void(qint64 pagePid)> &beforeTyping = {});

} // namespace fedsync::test::xkeyboard
