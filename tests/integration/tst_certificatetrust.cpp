// CertificateTrust decides the embedded browser's certificate errors: a chain is accepted only when it
// verifies to the profile's own CA file and names the host. Uses the sandbox's real CA and server
// certificate, and a foreign CA made here with the openssl command.
#include "net/certificatetrust.h"
#include "sandbox.h"
#include "testmain.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;

class TestCertificateTrust : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void acceptsChainFromProfileCa();
    void refusesWrongHost();
    void refusesForeignCa();
    void refusesWithoutCaFile();

private:
    QList<QSslCertificate> serverChain() const;

    Sandbox m_sandbox;
    QTemporaryDir m_dir;
    QString m_foreignCa;
};

void TestCertificateTrust::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_foreignCa = m_dir.filePath(QStringLiteral("foreign-ca.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=Foreign Test CA"), QStringLiteral("-days"), QStringLiteral("1"),
                   QStringLiteral("-keyout"), m_dir.filePath(QStringLiteral("foreign-ca.key")),
                   QStringLiteral("-out"), m_foreignCa});
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);
}

QList<QSslCertificate> TestCertificateTrust::serverChain() const
{
    const QString serverPem = QFileInfo(m_sandbox.caFile()).dir().filePath(QStringLiteral("server.pem"));
    return QSslCertificate::fromPath(serverPem);
}

void TestCertificateTrust::acceptsChainFromProfileCa()
{
    QVERIFY(!serverChain().isEmpty());
    QCOMPARE(
        CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"), m_sandbox.caFile()),
        QString());
    QCOMPARE(
        CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("localhost"), m_sandbox.caFile()),
        QString());
}

void TestCertificateTrust::refusesWrongHost()
{
    QVERIFY(!CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("tenant.auth0.com"),
                                                   m_sandbox.caFile())
                 .isEmpty());
    QVERIFY(
        !CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.2"), m_sandbox.caFile())
             .isEmpty());
}

void TestCertificateTrust::refusesForeignCa()
{
    const QString why =
        CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"), m_foreignCa);
    QVERIFY2(!why.isEmpty(), "a chain from another CA must be refused");
}

void TestCertificateTrust::refusesWithoutCaFile()
{
    QVERIFY(!CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"), QString())
                 .isEmpty());
    QVERIFY(!CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"),
                                                   QStringLiteral("/nonexistent/ca.pem"))
                 .isEmpty());
    QVERIFY(!CertificateTrust::verifyAgainstCaFile({}, QStringLiteral("127.0.0.1"), m_sandbox.caFile())
                 .isEmpty());
}

FEDSYNC_TEST_MAIN(TestCertificateTrust)
#include "tst_certificatetrust.moc"
