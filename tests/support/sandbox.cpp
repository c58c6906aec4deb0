#include "sandbox.h"

#include "config/profilefile.h"
#include "testenvironment.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QThread>
#include <QTimer>

namespace fedsync::test {

Sandbox::Sandbox() = default;

Sandbox::~Sandbox()
{
    stop();
}

void Sandbox::stop()
{
    if (m_process)
        stopProcess(*m_process);
}

int Sandbox::freePortBase()
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        const int base = 20000 + int(QRandomGenerator::global()->bounded(30000));
        bool free = true;
        for (int port = base; port < base + 5 && free; ++port) {
            QTcpServer probe;
            free = probe.listen(QHostAddress::LocalHost, quint16(port));
        }
        if (free)
            return base;
    }
    return 0;
}

bool Sandbox::start(int timeoutMs)
{
    const QString script = sourceDir() + QStringLiteral("/sandbox/start");
    if (!QFile::exists(script)) {
        m_error = QStringLiteral("sandbox/start not found at %1").arg(script);
        return false;
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(m_dir.filePath(QStringLiteral("sandbox.log")), QIODevice::Append);
    m_process->start(script, {QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("data")),
                              QStringLiteral("--port-base"), QString::number(m_portBase)});
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("sandbox/start did not start: %1").arg(m_process->errorString());
        return false;
    }
    const QString readyPath = m_dir.filePath(QStringLiteral("data/ready.json"));
    m_ready = {};
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning) {
            QFile log(m_dir.filePath(QStringLiteral("sandbox.log")));
            log.open(QIODevice::ReadOnly);
            m_error =
                QStringLiteral("the sandbox exited: %1").arg(QString::fromUtf8(log.readAll().right(2000)));
            return false;
        }
        QFile file(readyPath);
        if (file.open(QIODevice::ReadOnly)) {
            m_ready = QJsonDocument::fromJson(file.readAll()).object();
            if (!m_ready.isEmpty())
                return giveProfileOwnId();
        }
        QThread::msleep(50);
    }
    m_error = QStringLiteral("the sandbox was not ready within %1 ms").arg(timeoutMs);
    return false;
}

QString Sandbox::profileFile() const
{
    return m_ready.value(QStringLiteral("profile_file")).toString();
}

Profile Sandbox::loadProfile(const QString &file)
{
    UserError error;
    std::optional<Profile> profile = ProfileFile::load(file, &error);
    if (profile)
        profile->sourceFile = file; // as --profile-file loads it (its keychain namespace)
    return profile.value_or(Profile{});
}

Profile Sandbox::profile() const
{
    return loadProfile(profileFile());
}

QString Sandbox::dynamoDbProfileFile() const
{
    return m_ready.value(QStringLiteral("dynamodb_profile_file")).toString();
}

Profile Sandbox::dynamoDbProfile() const
{
    return loadProfile(dynamoDbProfileFile());
}

QString Sandbox::caFile() const
{
    return m_ready.value(QStringLiteral("ca_file")).toString();
}

QString Sandbox::user(int index, const char *field) const
{
    return m_ready.value(QStringLiteral("users"))
        .toArray()
        .at(index)
        .toObject()
        .value(QLatin1String(field))
        .toString();
}

bool Sandbox::admin(const QString &path, const QJsonObject &body) const
{
    return adminRequest("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact)).has_value();
}

QJsonObject Sandbox::adminPost(const QString &path, const QJsonObject &body, int timeoutMs) const
{
    return QJsonDocument::fromJson(
               adminRequest("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), timeoutMs)
                   .value_or(QByteArray()))
        .object();
}

bool Sandbox::adminDelete(const QString &path) const
{
    return adminRequest("DELETE", path, {}).has_value();
}

QJsonObject Sandbox::adminGet(const QString &path) const
{
    return QJsonDocument::fromJson(adminRequest("GET", path, {}).value_or(QByteArray())).object();
}

std::optional<QByteArray> Sandbox::adminRequest(const QByteArray &method, const QString &path,
                                                const QByteArray &body, int timeoutMs) const
{
    // Test-only plumbing, loopback plain HTTP to the sandbox's admin API: a local event loop is fine here.
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(m_ready.value(QStringLiteral("admin_url")).toString() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    if (status < 200 || status >= 300)
        return std::nullopt;
    return reply->readAll();
}

bool Sandbox::giveProfileOwnId()
{
    // Test programs run in parallel against one keychain, whose keys start with the profile id: each
    // program gets a profile id of its own so that one's sign-out cannot remove another's tokens.
    QFile file(profileFile());
    if (!file.open(QIODevice::ReadWrite)) {
        m_error = QStringLiteral("cannot open %1").arg(profileFile());
        return false;
    }
    QJsonObject profile = QJsonDocument::fromJson(file.readAll()).object();
    profile.insert(QStringLiteral("id"),
                   Profile::slugFor(QStringLiteral("sandbox ") + QCoreApplication::applicationName()));
    file.resize(0);
    file.write(QJsonDocument(profile).toJson());
    file.close();
    QFile dynamoDb(dynamoDbProfileFile());
    if (!dynamoDbProfileFile().isEmpty() && dynamoDb.open(QIODevice::ReadWrite)) {
        QJsonObject other = QJsonDocument::fromJson(dynamoDb.readAll()).object();
        other.insert(QStringLiteral("id"), Profile::slugFor(QStringLiteral("sandbox dynamodb ") +
                                                            QCoreApplication::applicationName()));
        dynamoDb.resize(0);
        dynamoDb.write(QJsonDocument(other).toJson());
    }
    return true;
}

QStringList Sandbox::operationsSince(qint64 since, qint64 *next) const
{
    const QJsonObject reply = adminGet(QStringLiteral("admin/requests?since=%1").arg(since));
    if (next)
        *next = reply.value(QStringLiteral("next")).toInteger();
    QStringList operations;
    for (const QJsonValue &request : reply.value(QStringLiteral("requests")).toArray())
        operations << request.toObject().value(QStringLiteral("operation")).toString();
    return operations;
}

qint64 Sandbox::requestLogEnd() const
{
    qint64 next = 0;
    operationsSince(0, &next);
    return next;
}

QList<QJsonObject> Sandbox::requestsSince(qint64 since, const QStringList &services) const
{
    QList<QJsonObject> out;
    const QJsonObject reply = adminGet(QStringLiteral("admin/requests?since=%1").arg(since));
    for (const QJsonValue &entry : reply.value(QStringLiteral("requests")).toArray())
        if (services.contains(entry.toObject().value(QStringLiteral("service")).toString()))
            out << entry.toObject();
    return out;
}

bool Sandbox::addFault(const QString &service, const QString &operation, const QString &kind, int count,
                       int delayMs) const
{
    QJsonObject body{{QStringLiteral("service"), service},
                     {QStringLiteral("operation"), operation},
                     {QStringLiteral("kind"), kind},
                     {QStringLiteral("count"), count}};
    if (delayMs > 0)
        body.insert(QStringLiteral("delay_ms"), delayMs);
    return admin(QStringLiteral("admin/faults"), body);
}

} // namespace fedsync::test
