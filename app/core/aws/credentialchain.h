// The AWS SDKs' standard credential chain, for signed requests made with a person's own keys (support
// staff using `fedsync-cli request` while nobody is signed in): the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN), then the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials), then the config file (AWS_CONFIG_FILE,
// default ~/.aws/config, "[profile NAME]"), section AWS_PROFILE (default "default"). A section gives
// static keys or a credential_process command (run by CredentialProcessSource, not here).
#pragma once

#include "aws/awscredentials.h"
#include "aws/awscredentialssource.h"
#include "common/usererror.h"

#include <QCoreApplication>
#include <QMap>
#include <QProcessEnvironment>

#include <memory>

namespace fedsync::aws {

class CredentialChain final
{
    Q_DECLARE_TR_FUNCTIONS(CredentialChain)

public:
    struct Result
    {
        AwsCredentials credentials;
        QString credentialProcess; // instead of credentials: the command line to run
        QString origin;            // "environment" or "~/.aws/credentials [default]", for people
        UserError error;           // set when nothing usable was found, saying where Fedsync looked
        QString searched;          // where it looked, for people (with `error`)
    };

    // `homeDir` is where "~" points (passed in so tests need not touch the real one).
    CredentialChain(QProcessEnvironment environment, QString homeDir);

    Result resolve() const;
    // The credentials source for a result (static keys or the credential_process); null on error.
    static std::unique_ptr<AwsCredentialsSource> sourceFor(const Result &result);
    // The region the SDKs would use: AWS_REGION, then AWS_DEFAULT_REGION, then the shared config file's
    // `region` in the profile's section. Empty when none is set.
    QString region() const;

    // An INI file as the AWS CLI reads it: sections -> (key -> value); "[profile x]" is section "x";
    // comments (# ;) and blank lines ignored. Public for tests.
    static QMap<QString, QMap<QString, QString>> parseIni(const QByteArray &text);

private:
    QString profileName() const;
    QString pathFor(const char *variable, const char *fileName) const;

    QProcessEnvironment m_environment;
    QString m_homeDir;
};

// Fixed credentials as a source (from the chain, or in tests).
class StaticCredentialsSource final : public AwsCredentialsSource
{
public:
    explicit StaticCredentialsSource(AwsCredentials credentials)
        : m_credentials(std::move(credentials))
    {}
    void requestCredentials(Callback callback) override { callback(m_credentials, {}); }

private:
    AwsCredentials m_credentials;
};

} // namespace fedsync::aws
