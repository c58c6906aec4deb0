// The question the real `fedsync` asks the first time it opens a profile file that names its own CA
// ("Trust this certificate authority?"), answered with the keyboard under Xvfb (xdotool): Yes (Y)
// opens the window and is remembered for that file, so the next start asks nothing; Escape ends the
// start without a window and without remembering, so the next start asks again.
#include "guitestmain.h"
#include "sandbox.h"
#include "testenvironment.h"
#include "xkeyboard.h"

#include <QFile>

#include <functional>
#include <QProcess>
#include <QTemporaryDir>

using namespace fedsync::test;

namespace {
const QString question = QStringLiteral("Trust this certificate authority");
} // namespace

class TestCaTrustQuestion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void yesOpensTheWindowAndIsRemembered();
    void escapeEndsTheStartAndAsksAgainNextTime();

private:
    // A copy of the sandbox's profile file at a path this installation never saw (a new question).
    QString freshProfileFile();
    bool start(QProcess &app, const QString &profileFile);
    static void stop(QProcess &app);
    // Answers the question with `key`, again if the keys came before the box could take them.
    // `answered` tells when the app took the answer.
    static bool answer(QProcess &app, const QString &key, const std::function<bool()> &answered);
    static QString mainWindow(QProcess &app, int timeoutMs = 30000)
    {
        return xkeyboard::findWindow(app.processId(), QStringLiteral("Fedsync — "), timeoutMs);
    }

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    int m_copies = 0;
};

void TestCaTrustQuestion::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") || qEnvironmentVariableIsEmpty("DISPLAY"))
        QSKIP("Needs Xvfb and a D-Bus session: run through scripts/test");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
}

QString TestCaTrustQuestion::freshProfileFile()
{
    const QString path = m_dir.filePath(QStringLiteral("profile-%1.json").arg(++m_copies));
    return QFile::copy(m_sandbox.profileFile(), path) ? path : QString();
}

bool TestCaTrustQuestion::start(QProcess &app, const QString &profileFile)
{
    app.setProcessChannelMode(QProcess::ForwardedChannels);
    app.start(binDir() + QStringLiteral("/fedsync"), {QStringLiteral("--profile-file"), profileFile});
    return app.waitForStarted(10000);
}

void TestCaTrustQuestion::stop(QProcess &app)
{
    stopProcess(app);
}

bool TestCaTrustQuestion::answer(QProcess &app, const QString &key, const std::function<bool()> &answered)
{
    for (int attempt = 0; attempt < 10; ++attempt) {
        if (xkeyboard::focusWindow(app.processId(), question).isEmpty())
            return false;
        QTest::qWait(300);
        if (!xkeyboard::key(key))
            return false;
        if (QTest::qWaitFor(answered, 3000))
            return true;
    }
    return false;
}

void TestCaTrustQuestion::yesOpensTheWindowAndIsRemembered()
{
    const QString file = freshProfileFile();
    QVERIFY(!file.isEmpty());
    QProcess app;
    QVERIFY(start(app, file));
    // Y: the box's Yes (its default button is Cancel).
    QVERIFY2(answer(app, QStringLiteral("y"),
                    [&app] { return !mainWindow(app, 200).isEmpty() && xkeyboard::waitUntilGone(app.processId(), question, 0); }),
             qPrintable(xkeyboard::errorString()));
    QCOMPARE(app.state(), QProcess::Running);
    stop(app);

    // The same file again: straight to the window.
    QProcess again;
    QVERIFY(start(again, file));
    QVERIFY2(!mainWindow(again).isEmpty(), qPrintable(xkeyboard::errorString()));
    QTest::qWait(2000);
    QVERIFY2(xkeyboard::findWindow(again.processId(), question, 1000).isEmpty(), "asked again");
    stop(again);
}

void TestCaTrustQuestion::escapeEndsTheStartAndAsksAgainNextTime()
{
    const QString file = freshProfileFile();
    QVERIFY(!file.isEmpty());
    QProcess app;
    QVERIFY(start(app, file));
    QVERIFY2(answer(app, QStringLiteral("Escape"), [&app] { return app.state() == QProcess::NotRunning; }),
             "the start went on without the CA");
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 1);

    QProcess again;
    QVERIFY(start(again, file));
    QVERIFY2(!xkeyboard::findWindow(again.processId(), question).isEmpty(), qPrintable(xkeyboard::errorString()));
    stop(again);
}

FEDSYNC_GUI_TEST_MAIN(TestCaTrustQuestion)
#include "tst_catrustquestion.moc"
