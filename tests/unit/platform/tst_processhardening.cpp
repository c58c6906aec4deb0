// hardenProcess(), as both front ends call it first thing: no core dump (they would carry the tokens held
// in memory), owner-only files, and no writable code made by PCRE2's JIT for regular expressions.
#include "platform/processhardening.h"
#include "testmain.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace fedsync;

class TestProcessHardening : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void noCoreDump();
    void newFilesAreOwnerOnly();
    void regularExpressionsMakeNoExecutableMemory();
};

namespace {

// Executable mappings that belong to no file: what a JIT compiler writes its code into.
QStringList anonymousCode()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    QStringList found;
    if (!maps.open(QIODevice::ReadOnly))
        return found;
    for (const QByteArray &line : maps.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        // address perms offset dev inode [path]: inode 0 and no path (or [anon:...]) is anonymous
        if (fields.size() >= 5 && fields.at(1).contains('x') && fields.at(4) == "0" &&
            (fields.size() == 5 || fields.at(5).startsWith("[anon")))
            found << QString::fromLatin1(line);
    }
    return found;
}

} // namespace

void TestProcessHardening::initTestCase()
{
    qunsetenv("QT_ENABLE_REGEXP_JIT"); // as a user starts it; must happen before the first pattern
    hardenProcess();
}

void TestProcessHardening::noCoreDump()
{
    rlimit core{};
    QCOMPARE(getrlimit(RLIMIT_CORE, &core), 0);
    QCOMPARE(core.rlim_cur, rlim_t(0));
    QCOMPARE(core.rlim_max, rlim_t(0)); // and it cannot be raised again
    QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

void TestProcessHardening::newFilesAreOwnerOnly()
{
    const mode_t mask = umask(077);
    umask(mask);
    QCOMPARE(mask & 077, mode_t(077));
}

void TestProcessHardening::regularExpressionsMakeNoExecutableMemory()
{
    const QStringList before = anonymousCode();
    // Patterns like the ones Fedsync compiles (a dataset's name, a region), each matched many times: Qt
    // JIT-compiles every pattern unless told not to.
    const QRegularExpression name(QStringLiteral("^[A-Za-z0-9_.:-]{1,128}$"));
    const QRegularExpression region(QStringLiteral("^[a-z]{2}(-gov)?-[a-z]+-\\d$"));
    for (int i = 0; i < 100; ++i) {
        QVERIFY(name.match(QStringLiteral("settings-%1").arg(i)).hasMatch());
        QVERIFY(region.match(QStringLiteral("us-east-1")).hasMatch());
    }
    QVERIFY(!name.match(QStringLiteral("not/a name")).hasMatch());
    const QStringList after = anonymousCode();
    QStringList made;
    for (const QString &mapping : after)
        if (!before.contains(mapping))
            made << mapping;
    QVERIFY2(made.isEmpty(), qPrintable(made.join(u'\n')));
    QCOMPARE(qgetenv("QT_ENABLE_REGEXP_JIT"), QByteArray("0"));
}

FEDSYNC_TEST_MAIN(TestProcessHardening)
#include "tst_processhardening.moc"
