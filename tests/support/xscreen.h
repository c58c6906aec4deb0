// A second X server for a test (Xvfb on a free display, its own screen size, e.g. 800x600): programs the
// test starts with DISPLAY set to display() show their windows there, and xkeyboard (xdotool, which
// follows DISPLAY) reaches them. Stopped when it goes.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QRect>
#include <QSize>
#include <QString>

namespace fedsync::test {

class XScreen
{
public:
    XScreen() = default;
    ~XScreen();
    XScreen(const XScreen &) = delete;
    XScreen &operator=(const XScreen &) = delete;

    // Starts Xvfb with one screen of `size` (24-bit), no TCP; false with errorString() if it does not.
    bool start(QSize size, int timeoutMs = 15000);
    QString display() const { return m_display; }
    QString errorString() const { return m_error; }

private:
    QProcess m_process;
    QString m_display;
    QString m_error;
};

// Points DISPLAY (this process's environment, which QProcess and xdotool follow) at `display` until it goes.
class DisplayOverride
{
public:
    explicit DisplayOverride(const QString &display);
    ~DisplayOverride();
    DisplayOverride(const DisplayOverride &) = delete;
    DisplayOverride &operator=(const DisplayOverride &) = delete;

private:
    QByteArray m_saved;
};

} // namespace fedsync::test
