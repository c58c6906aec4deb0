// CertificateTrust decides the embedded browser's certificate errors: a chain is accepted only when it
// verifies to the profile's own CA file and names the host. Uses the sandbox's real CA and server
// certificate, and a foreign CA made here with the openssl command.
#include "config/profilehosts.h"
#include "net/certificatetrust.h"
#include "net/httpjob.h"
#include "net/networkcontext.h"
#include "sandbox.h"
#include "testmain.h"
#include "trace/flowtrace.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>

using namespace fedsync;
using namespace fedsync::test;

namespace {
const QStringList loopbackNames{QStringLiteral("127.0.0.1"), QStringLiteral("localhost"),
                                QStringLiteral("tenant.auth0.com"), QStringLiteral("127.0.0.2")};
}

class TestCertificateTrust : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void acceptsChainFromProfileCa();
    void refusesWrongHost();
    void refusesForeignCa();
    void refusesWithoutCaFile();
    void browserRefusesHostTheProfileDoesNotName();
    void qtNetworkRefusesHostTheProfileDoesNotName();
    void refusesCaNotMeantForServers();
    void checksCaFileAgainWhenItsContentChanges();
    void describesCaWithFingerprint();

private:
    QList<QSslCertificate> serverChain() const;
    HttpResponse fetch(const NetworkContext &context, const QUrl &url);
    QString openssl(const QStringList &arguments);

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
    QCOMPARE(CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"),
                                                   m_sandbox.caFile(), loopbackNames),
             QString());
    QCOMPARE(CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("localhost"),
                                                   m_sandbox.caFile(), loopbackNames),
             QString());
}

void TestCertificateTrust::refusesWrongHost()
{
    QVERIFY(!CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("tenant.auth0.com"),
                                                   m_sandbox.caFile(), loopbackNames)
                 .isEmpty());
    QVERIFY(!CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.2"),
                                                   m_sandbox.caFile(), loopbackNames)
                 .isEmpty());
}

void TestCertificateTrust::refusesForeignCa()
{
    const QString why = CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"),
                                                              m_foreignCa, loopbackNames);
    QVERIFY2(!why.isEmpty(), "a chain from another CA must be refused");
}

void TestCertificateTrust::refusesWithoutCaFile()
{
    QVERIFY(!CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"), QString(),
                                                   loopbackNames)
                 .isEmpty());
    QVERIFY(!CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"),
                                                   QStringLiteral("/nonexistent/ca.pem"), loopbackNames)
                 .isEmpty());
    QVERIFY(!CertificateTrust::verifyAgainstCaFile({}, QStringLiteral("127.0.0.1"), m_sandbox.caFile(),
                                                   loopbackNames)
                 .isEmpty());
}

QString TestCertificateTrust::openssl(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(30000) || process.exitCode() != 0)
        return QStringLiteral("FAILED: ") + QString::fromUtf8(process.readAllStandardError());
    return QString::fromUtf8(process.readAllStandardOutput());
}

HttpResponse TestCertificateTrust::fetch(const NetworkContext &context, const QUrl &url)
{
    HttpRequest request;
    request.url = url;
    HttpJob job(context, request);
    QSignalSpy finished(&job, &HttpJob::finished);
    job.start();
    if (!finished.wait(20000))
        return {};
    return job.response();
}

// The embedded browser: a page on a host the profile does not name is refused even though its
// certificate comes from the profile's CA (here: the sandbox reached as "localhost" while the profile
// names 127.0.0.1; the sandbox's certificate covers both names).
void TestCertificateTrust::browserRefusesHostTheProfileDoesNotName()
{
    const Profile profile = m_sandbox.profile();
    const QStringList named = hostsNamedBy(profile);
    QVERIFY2(named.contains(QStringLiteral("127.0.0.1")), qPrintable(named.join(u',')));
    QVERIFY(!named.contains(QStringLiteral("localhost")));
    QCOMPARE(CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("127.0.0.1"), profile.caFile,
                                                   named),
             QString());
    const QString why = CertificateTrust::verifyAgainstCaFile(serverChain(), QStringLiteral("localhost"),
                                                              profile.caFile, named);
    QVERIFY2(why.contains(QStringLiteral("only for the hosts the profile names")), qPrintable(why));
}

// Qt networking, over real TLS to the sandbox: the same server, by the name the profile uses and by one
// it does not.
void TestCertificateTrust::qtNetworkRefusesHostTheProfileDoesNotName()
{
    const Profile profile = m_sandbox.profile();
    QNetworkAccessManager nam;
    FlowTrace trace;
    NetworkContext context(&nam, &trace);
    QCOMPARE(context.addCaCertificates(profile.caFile, hostsNamedBy(profile)).code, QString());
    QUrl named(profile.auth0.issuer().toString() + QStringLiteral(".well-known/openid-configuration"));
    const HttpResponse ok = fetch(context, named);
    QCOMPARE(ok.status, 200);

    QUrl other = named;
    other.setHost(QStringLiteral("localhost"));
    const HttpResponse refused = fetch(context, other);
    QVERIFY2(refused.isTransportFailure(), qPrintable(QString::number(refused.status)));
    QCOMPARE(refused.transportError(other).code, QStringLiteral("net.tls"));
    QVERIFY(!context.isCaTrustedFor(QStringLiteral("localhost")));
    QVERIFY(context.isCaTrustedFor(QStringLiteral("127.0.0.1")));
}

// A CA that says it is for client certificates only (extended key usage clientAuth) vouches for no TLS
// server, in Qt networking or in the browser.
void TestCertificateTrust::refusesCaNotMeantForServers()
{
    const QString key = m_dir.filePath(QStringLiteral("client-ca.key"));
    const QString ca = m_dir.filePath(QStringLiteral("client-ca.pem"));
    const QString made =
        openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                 QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-subj"),
                 QStringLiteral("/CN=Client Only CA"), QStringLiteral("-days"), QStringLiteral("1"),
                 QStringLiteral("-addext"), QStringLiteral("extendedKeyUsage=clientAuth"),
                 QStringLiteral("-keyout"), key, QStringLiteral("-out"), ca});
    QVERIFY2(!made.startsWith(QStringLiteral("FAILED")), qPrintable(made));
    QNetworkAccessManager nam;
    NetworkContext context(&nam, nullptr);
    const UserError error = context.addCaCertificates(ca, {QStringLiteral("127.0.0.1")});
    QCOMPARE(error.code, QStringLiteral("net.cafile.usage"));
    QVERIFY2(error.why.contains(QStringLiteral("server authentication")), qPrintable(error.why));
    QVERIFY(!context.isCaTrustedFor(QStringLiteral("127.0.0.1")));
    // The sandbox's own CA has no such restriction.
    QCOMPARE(CertificateTrust::checkServerAuthCa(QSslCertificate::fromPath(m_sandbox.caFile()).value(0)),
             QString());
}

// A CA file that passed its check is remembered by its bytes, so the next start does not parse it; a
// file whose content changed under the same name is checked again, and one that fails is not remembered.
void TestCertificateTrust::checksCaFileAgainWhenItsContentChanges()
{
    const QString ca = m_dir.filePath(QStringLiteral("changing-ca.pem"));
    {
        // The sandbox's CA with a line of text after it: the same certificate, bytes never seen before.
        QFile source(m_sandbox.caFile());
        QFile copy(ca);
        QVERIFY(source.open(QIODevice::ReadOnly) && copy.open(QIODevice::WriteOnly));
        copy.write(source.readAll() + "\nA copy made by checksCaFileAgainWhenItsContentChanges " +
                   QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + '\n');
    }
    const auto rememberedChecks = [] {
        QSettings settings;
        settings.beginGroup(QStringLiteral("caFilesChecked/v1"));
        return settings.childKeys().size();
    };
    const int before = int(rememberedChecks());
    QNetworkAccessManager nam;
    {
        NetworkContext first(&nam, nullptr);
        QCOMPARE(first.addCaCertificates(ca, {QStringLiteral("127.0.0.1")}).code, QString());
        QVERIFY(first.isCaTrustedFor(QStringLiteral("127.0.0.1")));
    }
    QCOMPARE(rememberedChecks(), before + 1);
    {
        NetworkContext again(&nam, nullptr); // the next start: the remembered check
        QCOMPARE(again.addCaCertificates(ca, {QStringLiteral("127.0.0.1")}).code, QString());
        QVERIFY(again.isCaTrustedFor(QStringLiteral("127.0.0.1")));
        QVERIFY(!again.isCaTrustedFor(QStringLiteral("localhost")));
    }
    // The same name, now a CA for client certificates only.
    const QString made =
        openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                 QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-subj"),
                 QStringLiteral("/CN=Changed To Client Only"), QStringLiteral("-days"), QStringLiteral("1"),
                 QStringLiteral("-addext"), QStringLiteral("extendedKeyUsage=clientAuth"), QStringLiteral("-keyout"),
                 m_dir.filePath(QStringLiteral("changed.key")), QStringLiteral("-out"), ca});
    QVERIFY2(!made.startsWith(QStringLiteral("FAILED")), qPrintable(made));
    NetworkContext changed(&nam, nullptr);
    QCOMPARE(changed.addCaCertificates(ca, {QStringLiteral("127.0.0.1")}).code, QStringLiteral("net.cafile.usage"));
    QVERIFY(!changed.isCaTrustedFor(QStringLiteral("127.0.0.1")));
    QCOMPARE(rememberedChecks(), before + 1);
}

// What the user is shown before trusting a CA: its subject and the SHA-256 fingerprint openssl computes.
void TestCertificateTrust::describesCaWithFingerprint()
{
    const QString fingerprint =
        openssl({QStringLiteral("x509"), QStringLiteral("-in"), m_sandbox.caFile(), QStringLiteral("-noout"),
                 QStringLiteral("-fingerprint"), QStringLiteral("-sha256")})
            .trimmed()
            .section(QLatin1Char('='), 1);
    QVERIFY2(fingerprint.size() == 95, qPrintable(fingerprint));
    const QStringList described = CertificateTrust::describeFile(m_sandbox.caFile());
    QCOMPARE(described.size(), 1);
    QVERIFY2(described.first().contains(QStringLiteral("SHA-256 ") + fingerprint),
             qPrintable(described.first()));
    const QString subject = openssl({QStringLiteral("x509"), QStringLiteral("-in"), m_sandbox.caFile(),
                                     QStringLiteral("-noout"), QStringLiteral("-subject")});
    const QString cn = subject.section(QStringLiteral("CN = "), 1).section(QLatin1Char(','), 0, 0).trimmed();
    QVERIFY2(!cn.isEmpty() && described.first().contains(cn), qPrintable(subject + described.first()));
}

FEDSYNC_TEST_MAIN(TestCertificateTrust)
#include "tst_certificatetrust.moc"
