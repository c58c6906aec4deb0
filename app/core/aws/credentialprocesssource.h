// Credentials from an external command, as the AWS CLI and SDKs run `credential_process`: the command's
// stdout is JSON {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}.
// Runs asynchronously (never blocks the caller's thread), keeps the answer until 5 minutes before it
// expires, and never logs or repeats what the command printed.
#pragma once

#include "aws/awscredentialssource.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QPointer>

#include <functional>

class QProcess;

namespace fedsync::aws {

class CredentialProcessSource final : public AwsCredentialsSource
{
    Q_DECLARE_TR_FUNCTIONS(CredentialProcessSource)

public:
    explicit CredentialProcessSource(QString commandLine, std::function<QDateTime()> clock = {});
    ~CredentialProcessSource() override;

    void requestCredentials(Callback callback) override;

    // The command's output as credentials; an error when it is not the documented JSON. Public for tests.
    static AwsCredentials parse(const QByteArray &output, UserError *error);

private:
    void finishAll(const AwsCredentials &credentials, const UserError &error);

    QString m_commandLine;
    std::function<QDateTime()> m_clock;
    AwsCredentials m_cached;
    QPointer<QProcess> m_process;
    QList<Callback> m_waiting;
};

} // namespace fedsync::aws
