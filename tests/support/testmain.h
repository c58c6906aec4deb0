// Test entry points: QTEST_MAIN plus an isolated environment (testenvironment.h). GUI tests use
// guitestmain.h.
#pragma once

#include "testenvironment.h"

#include <QCoreApplication>
#include <QTest>

#define FEDSYNC_TEST_MAIN(TestClass)                                                                       \
    int main(int argc, char **argv)                                                                        \
    {                                                                                                      \
        fedsync::test::setUpIsolatedEnvironment();                                                         \
        QCoreApplication app(argc, argv);                                                                  \
        TestClass test;                                                                                    \
        return QTest::qExec(&test, argc, argv);                                                            \
    }
