// Entry point for GUI tests: an isolated environment and a QApplication; without a display the
// offscreen platform is used (scripts/test provides Xvfb, so CI runs the real xcb platform).
#pragma once

#include "testmain.h"

#include <QApplication>

#define FEDSYNC_GUI_TEST_MAIN(TestClass)                                                                     \
    int main(int argc, char **argv)                                                                          \
    {                                                                                                        \
        fedsync::test::setUpIsolatedEnvironment();                                                           \
        if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))        \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                                         \
        QApplication app(argc, argv);                                                                        \
        TestClass test;                                                                                      \
        return QTest::qExec(&test, argc, argv);                                                              \
    }

// For tests that open the embedded browser. Like the app's main(), nothing WebEngine-related happens
// before QApplication: the login-window plugin registers the custom redirect scheme when it is loaded.
#define FEDSYNC_GUI_TEST_MAIN_WEBENGINE(TestClass)                                                           \
    int main(int argc, char **argv)                                                                          \
    {                                                                                                        \
        fedsync::test::setUpIsolatedEnvironment();                                                           \
        if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))        \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                                         \
        QApplication app(argc, argv);                                                                        \
        TestClass test;                                                                                      \
        return QTest::qExec(&test, argc, argv);                                                              \
    }
