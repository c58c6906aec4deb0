// A test that SIGKILLs a process of its own (no destructors, no checkpoint, no close) at a chosen point:
// the test program runs itself with a child flag; the child does its part, says a word on its standard
// output and waits; the parent kills it once it has said it. FEDSYNC_TEST_MAIN_WITH_CHILD is the main.
#pragma once

#include "testenvironment.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QTest>

namespace fedsync::test {

// In the child: says `word` and waits to be killed.
[[noreturn]] void sayAndWaitToBeKilled(const char *word);
// In the parent: runs this test program with `arguments` and kills it once it said `word`. Empty when that
// went as planned, else what went wrong.
QString runThenKillAfter(const QStringList &arguments, const QByteArray &word);

} // namespace fedsync::test

// The test program's main: `--<flag> <path>` runs `child(path)` (an int(const QString &)), anything else
// the tests of TestClass.
#define FEDSYNC_TEST_MAIN_WITH_CHILD(TestClass, flag, child)                                                 \
    int main(int argc, char **argv)                                                                          \
    {                                                                                                        \
        if (argc == 3 && qstrcmp(argv[1], flag) == 0) {                                                      \
            QCoreApplication app(argc, argv);                                                                \
            return child(QString::fromLocal8Bit(argv[2]));                                                   \
        }                                                                                                    \
        fedsync::test::setUpIsolatedEnvironment();                                                           \
        QCoreApplication app(argc, argv);                                                                    \
        TestClass test;                                                                                      \
        return QTest::qExec(&test, argc, argv);                                                              \
    }
