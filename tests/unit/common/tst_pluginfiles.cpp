// loadFedsyncPlugin: finds Fedsync's plugins next to the executable (this test runs from the build's bin
// folder, where fedsync_qtkeychain.so is built), says where it looked when a plugin is missing, and
// refuses a file that is not a plugin or a plugin of another interface.
#include "common/pluginfiles.h"
#include "secrets/qtkeychainbridge.h"
#include "testmain.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTest>

using namespace fedsync;

class TestPluginFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void candidatesAreNextToTheExecutableThenLibFedsync();
    void missingPluginSaysWhereItLooked();
    void fileThatIsNoPluginIsRefused();
    void pluginOfAnotherInterfaceIsRefused();
    void realPluginLoadsOnce();
};

void TestPluginFiles::candidatesAreNextToTheExecutableThenLibFedsync()
{
    const QDir bin(QCoreApplication::applicationDirPath());
    QCOMPARE(pluginCandidates(QStringLiteral("x.so")),
             QStringList({bin.filePath(QStringLiteral("x.so")),
                          bin.filePath(QStringLiteral("../lib/fedsync/x.so"))}));
}

void TestPluginFiles::missingPluginSaysWhereItLooked()
{
    QString reason;
    QVERIFY(!loadFedsyncPlugin(QStringLiteral("fedsync_nothing.so"), FedsyncQtKeychainBridge_iid, &reason));
    for (const QString &path : pluginCandidates(QStringLiteral("fedsync_nothing.so")))
        QVERIFY2(reason.contains(path), qPrintable(reason));
}

void TestPluginFiles::fileThatIsNoPluginIsRefused()
{
    const QString path =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("fedsync_text.so"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a library\n");
    file.close();
    QString reason;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Could not load.*fedsync_text.so")));
    QVERIFY(!loadFedsyncPlugin(QStringLiteral("fedsync_text.so"), FedsyncQtKeychainBridge_iid, &reason));
    QFile::remove(path);
    QVERIFY(!reason.isEmpty());
    QVERIFY2(!reason.contains(QStringLiteral("none of")), qPrintable(reason)); // it was found, and refused
}

void TestPluginFiles::pluginOfAnotherInterfaceIsRefused()
{
    QString reason;
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("Could not load.*fedsync_qtkeychain")));
    QVERIFY(!loadFedsyncPlugin(QStringLiteral("fedsync_qtkeychain.so"), "org.fedsync.Other/1", &reason));
    QVERIFY2(reason.contains(QStringLiteral("is not a org.fedsync.Other/1 plugin")), qPrintable(reason));
}

void TestPluginFiles::realPluginLoadsOnce()
{
    UserError error;
    QtKeychainBridge *bridge = loadQtKeychainBridge(&error);
    QVERIFY2(bridge, qPrintable(error.details));
    QCOMPARE(loadQtKeychainBridge(&error), bridge);
}

FEDSYNC_TEST_MAIN(TestPluginFiles)
#include "tst_pluginfiles.moc"
