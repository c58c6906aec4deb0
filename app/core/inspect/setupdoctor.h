// The setup doctor: checks a profile against the live services and says, for each finding, what is
// wrong, why, and the exact fix. Used by Tools > Check setup... and `fedsync-cli doctor`. Runs
// asynchronously (one request at a time, each with the network context's timeout), reports each finding
// as it is made, and can be cancelled. Works on profiles that fail validation: finding why is its job.
//
// What it looks at: the discovery document (reachable, issuer vs domain and its trailing slash, the TLS
// chain for IAM's thumbprint, the Date header for clock skew), the JWKS, the client's ID token when one
// is given (algorithm, audience, signature), the profile's Logins key, pool id and role ARN, and the
// identity pool: its configuration with staff credentials (DescribeIdentityPool), or what GetId and
// GetOpenIdToken answer for the given token, as the app's own sign-in would.
#pragma once

#include "aws/awscredentials.h"
#include "config/profile.h"
#include "inspect/doctorfinding.h"
#include "inspect/setupcommands.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace fedsync {

class Jwks;
class NetworkContext;
struct HttpResponse;
namespace aws {
class AwsClient;
class AwsCall;
} // namespace aws

class SetupDoctor final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString idToken; // the client's current ID token (signed in, or pasted); empty: not checked
        std::optional<aws::AwsCredentials> staffCredentials; // from the AWS chain, for DescribeIdentityPool
        QString staffCredentialsOrigin;
        std::function<QDateTime()> clock; // default: the system clock (UTC)
    };

    // Skew beyond which ID tokens look expired or not yet valid, and AWS refuses signatures.
    static constexpr qint64 WarnSkewSeconds = 60;
    static constexpr qint64 FailSkewSeconds = 300;

    SetupDoctor(Profile profile, const NetworkContext &network, Options options, QObject *parent = nullptr);
    ~SetupDoctor() override;

    void start();
    void cancel();

    const QList<DoctorFinding> &findings() const { return m_findings; }
    // SHA-1 of the last certificate the provider presented, lowercase hex without colons; empty when
    // the provider could not be reached.
    QString thumbprint() const { return m_thumbprint; }
    QList<SetupCommand> commands() const;
    bool isFinished() const { return m_finished; }
    bool hasFailures() const { return DoctorFinding::anyFailed(m_findings); }
    // {"checks": [...], "thumbprint": ..., "commands": [...]}
    QJsonObject toJson() const;

    // Steps in all, for a progress bar.
    static constexpr int StepCount = 5;

Q_SIGNALS:
    void findingAdded(const fedsync::DoctorFinding &finding);
    void progress(int done, int total);
    void finished();

private:
    void add(DoctorFinding finding);
    void step(int index);
    void fetchDiscovery();
    void onDiscovery(const HttpResponse &response);
    void fetchJwks();
    void checkToken();
    void checkPool();
    void checkPoolWithToken();
    void onDescribePool(aws::AwsCall *call);
    void noteServerDate(const QByteArray &dateHeader);
    void finishChecks();
    QDateTime now() const;

    Profile m_profile;
    const NetworkContext &m_network;
    Options m_options;
    QList<DoctorFinding> m_findings;
    QString m_thumbprint;
    QString m_discoveredIssuer;
    QUrl m_jwksUri;
    QStringList m_providerAlgs;
    std::unique_ptr<Jwks> m_jwks;
    std::unique_ptr<aws::AwsClient> m_aws;
    QList<QPointer<QObject>> m_jobs;
    std::optional<qint64> m_skewSeconds; // largest server - local difference seen
    QString m_skewSource;
    int m_step = 0;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace fedsync
