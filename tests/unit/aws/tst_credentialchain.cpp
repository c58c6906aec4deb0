// The AWS credential chain support staff rely on: environment first, then ~/.aws/credentials, then
// ~/.aws/config ("[profile NAME]"), static keys or credential_process (run for real, asynchronously),
// and an error saying where it looked when nothing is there.
#include "aws/credentialchain.h"
#include "aws/credentialprocesssource.h"
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::aws;

class TestCredentialChain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void environmentComesFirst();
    void credentialsFileThenConfigFile();
    void credentialProcessRunsAndIsParsed();
    void credentialProcessOutputIsChecked_data();
    void credentialProcessOutputIsChecked();
    void nothingFoundSaysWhere();

private:
    void write(const QString &path, const QByteArray &text);
    QTemporaryDir m_home;
};

void TestCredentialChain::write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

void TestCredentialChain::environmentComesFirst()
{
    write(m_home.filePath(QStringLiteral(".aws/credentials")),
          "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n");
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAENV"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("secret"));
    const CredentialChain::Result result = CredentialChain(env, m_home.path()).resolve();
    QCOMPARE(result.credentials.accessKeyId, QStringLiteral("AKIAENV"));
}

void TestCredentialChain::credentialsFileThenConfigFile()
{
    write(m_home.filePath(QStringLiteral(".aws/credentials")),
          "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = s\n");
    write(m_home.filePath(QStringLiteral(".aws/config")),
          "[default]\nregion = eu-west-1\n[profile staff]\naws_access_key_id = "
          "AKIACONFIG\naws_secret_access_key = s2\n");
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("staff"));
    CredentialChain::Result result = CredentialChain(env, m_home.path()).resolve();
    QVERIFY(!result.error.isError());
    QCOMPARE(result.credentials.accessKeyId, QStringLiteral("AKIACONFIG"));
    QVERIFY(result.origin.contains(QLatin1String("config [staff]")));
    env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("other"));
    result = CredentialChain(env, m_home.path()).resolve();
    QCOMPARE(result.credentials.accessKeyId, QStringLiteral("AKIAOTHER"));
}

void TestCredentialChain::credentialProcessRunsAndIsParsed()
{
    const QString script = m_home.filePath(QStringLiteral("creds.sh"));
    write(script,
          "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC\", \"SecretAccessKey\": \"x\", "
          "\"SessionToken\": \"t\", \"Expiration\": \"2999-01-01T00:00:00Z\"}'\n");
    QFile::setPermissions(script, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    write(m_home.filePath(QStringLiteral(".aws/config")),
          "[profile proc]\ncredential_process = " + script.toUtf8() + "\n");
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("proc"));
    const CredentialChain::Result result = CredentialChain(env, m_home.path()).resolve();
    QCOMPARE(result.credentialProcess, script);
    std::unique_ptr<AwsCredentialsSource> source = CredentialChain::sourceFor(result);
    QVERIFY(source);
    AwsCredentials got;
    UserError failure;
    bool called = false;
    source->requestCredentials([&](const AwsCredentials &credentials, const UserError &error) {
        got = credentials;
        failure = error;
        called = true;
    });
    QTRY_VERIFY(called);
    QVERIFY2(!failure.isError(), qPrintable(failure.text()));
    QCOMPARE(got.accessKeyId, QStringLiteral("ASIAPROC"));
    QCOMPARE(got.sessionToken, QByteArray("t"));
    QCOMPARE(got.expiration, QDateTime(QDate(2999, 1, 1), QTime(0, 0), Qt::UTC));
}

void TestCredentialChain::credentialProcessOutputIsChecked_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::newRow("not json") << QByteArray("hello");
    QTest::newRow("no version") << QByteArray(R"({"AccessKeyId":"a","SecretAccessKey":"b"})");
    QTest::newRow("no secret") << QByteArray(R"({"Version":1,"AccessKeyId":"a"})");
    QTest::newRow("bad expiration") << QByteArray(
        R"({"Version":1,"AccessKeyId":"a","SecretAccessKey":"b","Expiration":"soon"})");
}

void TestCredentialChain::credentialProcessOutputIsChecked()
{
    QFETCH(QByteArray, output);
    UserError error;
    const AwsCredentials credentials = CredentialProcessSource::parse(output, &error);
    QVERIFY(!credentials.isValid());
    QCOMPARE(error.code, QStringLiteral("aws.credential_process.invalid"));
    QVERIFY(!error.text().contains(QLatin1String("\"b\"")));
}

void TestCredentialChain::nothingFoundSaysWhere()
{
    QTemporaryDir empty;
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("missing"));
    const CredentialChain::Result result = CredentialChain(env, empty.path()).resolve();
    QVERIFY(result.error.isError());
    QVERIFY(result.searched.contains(QLatin1String(".aws/credentials")));
    QVERIFY(result.searched.contains(QLatin1String(".aws/config")));
    QVERIFY(result.searched.contains(QLatin1String("[missing]")));
    QVERIFY(!CredentialChain::sourceFor(result));
}

FEDSYNC_TEST_MAIN(TestCredentialChain)
#include "tst_credentialchain.moc"
