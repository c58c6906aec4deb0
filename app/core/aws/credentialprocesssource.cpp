#include "aws/credentialprocesssource.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

namespace fedsync::aws {
namespace {
constexpr int TimeoutMs = 60000;
constexpr qint64 EarlyRefreshSeconds = 300;
} // namespace

CredentialProcessSource::CredentialProcessSource(QString commandLine, std::function<QDateTime()> clock)
    : m_commandLine(std::move(commandLine))
    , m_clock(clock ? std::move(clock) : [] { return QDateTime::currentDateTimeUtc(); })
{}

CredentialProcessSource::~CredentialProcessSource()
{
    if (m_process) {
        m_process->disconnect();
        m_process->kill();
        m_process->waitForFinished(1000);
        delete m_process;
    }
}

AwsCredentials CredentialProcessSource::parse(const QByteArray &output, UserError *error)
{
    auto invalid = [error](const QString &why) {
        *error = UserError::make(QStringLiteral("aws.credential_process.invalid"),
                                 tr("The credential_process command gave no usable credentials"), why,
                                 tr("Check the command: it must print the AWS CLI's credential_process "
                                    "JSON (Version 1)"));
        return AwsCredentials{};
    };
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(output, &parseError);
    if (!document.isObject())
        return invalid(tr("Its output is not a JSON object"));
    const QJsonObject json = document.object();
    if (json.value(QStringLiteral("Version")).toInt() != 1)
        return invalid(tr("\"Version\" must be 1"));
    AwsCredentials credentials;
    credentials.accessKeyId = json.value(QStringLiteral("AccessKeyId")).toString();
    credentials.secretAccessKey = json.value(QStringLiteral("SecretAccessKey")).toString().toUtf8();
    credentials.sessionToken = json.value(QStringLiteral("SessionToken")).toString().toUtf8();
    const QString expiration = json.value(QStringLiteral("Expiration")).toString();
    if (!expiration.isEmpty()) {
        credentials.expiration = QDateTime::fromString(expiration, Qt::ISODate).toUTC();
        if (!credentials.expiration.isValid())
            return invalid(tr("\"Expiration\" is not an ISO 8601 time"));
    }
    if (!credentials.isValid())
        return invalid(tr("\"AccessKeyId\" and \"SecretAccessKey\" are required"));
    return credentials;
}

void CredentialProcessSource::requestCredentials(Callback callback)
{
    if (m_cached.isValid() &&
        (!m_cached.expiration.isValid() || !m_cached.isExpiringWithin(EarlyRefreshSeconds, m_clock()))) {
        callback(m_cached, {});
        return;
    }
    m_waiting.append(std::move(callback));
    if (m_process)
        return;
    QStringList arguments = QProcess::splitCommand(m_commandLine);
    if (arguments.isEmpty()) {
        finishAll({}, UserError::make(QStringLiteral("aws.credential_process.empty"),
                                      tr("The credential_process setting is empty"), {},
                                      tr("Set credential_process to a command in the AWS config file")));
        return;
    }
    const QString program = arguments.takeFirst();
    auto *process = new QProcess;
    m_process = process;
    process->setProcessChannelMode(QProcess::SeparateChannels);
    process->setStandardInputFile(QProcess::nullDevice());
    QTimer::singleShot(TimeoutMs, process, [process] { process->kill(); });
    QObject::connect(
        process, &QProcess::finished, process, [this, process](int code, QProcess::ExitStatus status) {
            const QByteArray output = process->readAllStandardOutput();
            process->deleteLater();
            m_process = nullptr;
            if (status != QProcess::NormalExit || code != 0) {
                finishAll({}, UserError::make(QStringLiteral("aws.credential_process.failed"),
                                              tr("The credential_process command failed"),
                                              status == QProcess::NormalExit
                                                  ? tr("It exited with code %1").arg(code)
                                                  : tr("It crashed or ran longer than a minute"),
                                              tr("Run it yourself to see why: %1").arg(m_commandLine)));
                return;
            }
            UserError error;
            const AwsCredentials credentials = parse(output, &error);
            if (!error.isError())
                m_cached = credentials;
            finishAll(credentials, error);
        });
    QObject::connect(process, &QProcess::errorOccurred, process, [this, process](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        process->deleteLater();
        m_process = nullptr;
        finishAll({}, UserError::make(QStringLiteral("aws.credential_process.missing"),
                                      tr("The credential_process command could not be started"),
                                      process->errorString(),
                                      tr("Check the command in the AWS config file: %1").arg(m_commandLine)));
    });
    process->start(program, arguments);
}

void CredentialProcessSource::finishAll(const AwsCredentials &credentials, const UserError &error)
{
    const QList<Callback> waiting = std::exchange(m_waiting, {});
    for (const Callback &callback : waiting)
        callback(credentials, error);
}

} // namespace fedsync::aws
