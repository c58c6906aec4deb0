// The executables' command lines: --version and --help work without a display; bad usage says so.
#include "buildinfo.h"
#include "testmain.h"

#include <QProcess>

using fedsync::test::binDir;

class TestExecutables : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void versionIsPrinted_data();
    void versionIsPrinted();
    void cliHelpListsUsage();
    void cliUnknownCommandFails();

private:
    static QProcess *run(const QString &program, const QStringList &args);
};

QProcess *TestExecutables::run(const QString &program, const QStringList &args)
{
    auto *process = new QProcess;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY")); // --version must not need one
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    process->setProcessEnvironment(env);
    process->start(binDir() + QLatin1Char('/') + program, args);
    process->waitForFinished(30000);
    return process;
}

void TestExecutables::versionIsPrinted_data()
{
    QTest::addColumn<QString>("program");
    QTest::newRow("cli") << QStringLiteral("fedsync-cli");
    QTest::newRow("gui") << QStringLiteral("fedsync");
}

void TestExecutables::versionIsPrinted()
{
    QFETCH(QString, program);
    std::unique_ptr<QProcess> p(run(program, {QStringLiteral("--version")}));
    QCOMPARE(p->exitStatus(), QProcess::NormalExit);
    QCOMPARE(p->exitCode(), 0);
    const QString out = QString::fromUtf8(p->readAllStandardOutput()).trimmed();
    QCOMPARE(out, QStringLiteral("Fedsync %1").arg(QString::fromLatin1(fedsync::buildinfo::version)));
}

void TestExecutables::cliHelpListsUsage()
{
    std::unique_ptr<QProcess> p(run(QStringLiteral("fedsync-cli"), {QStringLiteral("--help")}));
    QCOMPARE(p->exitCode(), 0);
    const QString out = QString::fromUtf8(p->readAllStandardOutput());
    QVERIFY2(out.contains(QStringLiteral("Usage:")), qPrintable(out));
    QVERIFY(out.contains(QStringLiteral("--version")));
}

void TestExecutables::cliUnknownCommandFails()
{
    std::unique_ptr<QProcess> p(run(QStringLiteral("fedsync-cli"), {QStringLiteral("frobnicate")}));
    QCOMPARE(p->exitCode(), 2);
    const QString err = QString::fromUtf8(p->readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("unknown command \"frobnicate\"")), qPrintable(err));
}

FEDSYNC_TEST_MAIN(TestExecutables)
#include "tst_executables.moc"
