#include "inspect/setupdoctor.h"

#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "aws/cognitodiagnostics.h"
#include "aws/cognitoidentityclient.h"
#include "aws/credentialchain.h"
#include "config/endpointresolver.h"
#include "inspect/jwtinspection.h"
#include "inspect/profilechecks.h"
#include "log/logcategories.h"
#include "log/redact.h"
#include "net/httpjob.h"
#include "net/networkcontext.h"
#include "oidc/jwks.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace fedsync {

using Status = DoctorFinding::Status;

namespace {
DoctorFinding finding(const char *id, Status status, const QString &message, const QString &fix = {})
{
    return DoctorFinding{QLatin1String(id), status, message, fix};
}
} // namespace

SetupDoctor::SetupDoctor(Profile profile, const NetworkContext &network, Options options, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_network(network)
    , m_options(std::move(options))
{}

SetupDoctor::~SetupDoctor()
{
    cancel();
}

QDateTime SetupDoctor::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentDateTimeUtc();
}

void SetupDoctor::add(DoctorFinding f)
{
    m_findings.append(f);
    Q_EMIT findingAdded(m_findings.constLast());
}

void SetupDoctor::step(int index)
{
    m_step = index;
    Q_EMIT progress(index, StepCount);
}

void SetupDoctor::start()
{
    for (const DoctorFinding &f : ProfileChecks::run(m_profile))
        add(f);
    step(0);
    QMetaObject::invokeMethod(this, &SetupDoctor::fetchDiscovery, Qt::QueuedConnection);
}

void SetupDoctor::cancel()
{
    m_cancelled = true;
    for (const QPointer<QObject> &job : std::as_const(m_jobs)) {
        if (auto *http = qobject_cast<HttpJob *>(job.data()))
            http->abort();
        else if (auto *call = qobject_cast<aws::AwsCall *>(job.data()))
            call->abort();
    }
    m_jobs.clear();
}

void SetupDoctor::noteServerDate(const QByteArray &dateHeader)
{
    const QDateTime server = aws::AwsError::parseHttpDate(dateHeader);
    if (!server.isValid())
        return;
    const qint64 skew = now().secsTo(server);
    if (!m_skewSeconds || qAbs(skew) > qAbs(*m_skewSeconds))
        m_skewSeconds = skew;
}

void SetupDoctor::fetchDiscovery()
{
    if (m_cancelled)
        return;
    HttpRequest request;
    request.url = m_profile.auth0.discoveryUrl();
    request.service = QStringLiteral("auth0");
    request.operation = QStringLiteral("discovery");
    request.summary = tr("setup doctor");
    auto *job = new HttpJob(m_network, request, this);
    m_jobs << job;
    connect(job, &HttpJob::finished, this, [this, job] {
        job->deleteLater();
        if (m_cancelled)
            return;
        const HttpResponse response = job->response();
        if (job->refusal().isError()) {
            add(finding("discovery", Status::Fail, job->refusal().text(),
                        tr("Set auth0.domain to the tenant's domain only, e.g. \"tenant.eu.auth0.com\".")));
            step(1);
            checkToken();
            return;
        }
        onDiscovery(response);
    });
    job->start();
}

void SetupDoctor::onDiscovery(const HttpResponse &response)
{
    const QString url = m_profile.auth0.discoveryUrl().toString();
    const QString domainFix =
        tr("Set auth0.domain to the Domain shown in the Auth0 Dashboard (Applications > your application > "
           "Settings), e.g. \"tenant.eu.auth0.com\" or your custom domain, and check this computer can reach "
           "it.");
    step(1);
    if (response.isTransportFailure()) {
        add(finding("discovery", Status::Fail,
                    tr("The provider's discovery document %1 cannot be fetched: %2")
                        .arg(url, response.transportError(m_profile.auth0.discoveryUrl()).text()),
                    domainFix));
        checkToken();
        return;
    }
    noteServerDate(response.header("date"));
    if (!response.peerCertificateChain.isEmpty()) {
        const QByteArray der = response.peerCertificateChain.constLast().toDer();
        m_thumbprint = QString::fromLatin1(QCryptographicHash::hash(der, QCryptographicHash::Sha1).toHex());
    }
    const QJsonObject doc = QJsonDocument::fromJson(response.body).object();
    if (response.status != 200 || doc.isEmpty()) {
        add(finding("discovery", Status::Fail,
                    tr("%1 answered HTTP %2 without a discovery document: this is not an OpenID provider.")
                        .arg(url)
                        .arg(response.status),
                    domainFix));
        checkToken();
        return;
    }
    add(finding("discovery", Status::Pass, tr("The discovery document %1 is reachable.").arg(url)));

    m_discoveredIssuer = doc.value(QStringLiteral("issuer")).toString();
    const QString expected = m_profile.auth0.issuer().toString();
    if (m_discoveredIssuer == expected) {
        add(finding("issuer", Status::Pass,
                    tr("The issuer \"%1\" matches the domain, trailing slash included.").arg(expected)));
    } else if (m_discoveredIssuer + QLatin1Char('/') == expected ||
               expected + QLatin1Char('/') == m_discoveredIssuer) {
        add(finding(
            "issuer", Status::Fail,
            tr("The provider's issuer is \"%1\" but Fedsync expects \"%2\": the trailing slash differs, "
               "so ID tokens fail the iss check and Cognito's Logins key does not match.")
                .arg(m_discoveredIssuer, expected),
            tr("Use the issuer exactly as published (\"%1\") for the IAM OIDC provider URL and the Logins "
               "key \"%2\".")
                .arg(m_discoveredIssuer,
                     aws::CognitoIdentityClient::providerNameFromIssuer(m_discoveredIssuer))));
    } else {
        const QString host = QUrl(m_discoveredIssuer).authority();
        add(finding(
            "issuer", Status::Fail,
            tr("The domain's discovery document names another issuer, \"%1\" (expected \"%2\"): a custom "
               "domain or a proxy. Tokens carry that issuer.")
                .arg(m_discoveredIssuer, expected),
            tr("Set auth0.domain to \"%1\".").arg(host)));
    }
    m_jwksUri = QUrl(doc.value(QStringLiteral("jwks_uri")).toString());
    for (const QJsonValue &v : doc.value(QStringLiteral("id_token_signing_alg_values_supported")).toArray())
        m_providerAlgs << v.toString();
    fetchJwks();
}

void SetupDoctor::fetchJwks()
{
    if (!m_jwksUri.isValid() || m_jwksUri.isEmpty()) {
        add(finding("jwks", Status::Fail, tr("The discovery document has no jwks_uri."),
                    tr("Check auth0.domain: it must be the Auth0 tenant.")));
        step(2);
        checkToken();
        return;
    }
    HttpRequest request;
    request.url = m_jwksUri;
    request.service = QStringLiteral("auth0");
    request.operation = QStringLiteral("jwks");
    auto *job = new HttpJob(m_network, request, this);
    m_jobs << job;
    connect(job, &HttpJob::finished, this, [this, job] {
        job->deleteLater();
        if (m_cancelled)
            return;
        step(2);
        UserError error;
        std::optional<Jwks> jwks;
        if (job->response().status == 200)
            jwks = Jwks::parse(job->response().body, &error);
        if (jwks) {
            m_jwks = std::make_unique<Jwks>(std::move(*jwks));
            add(finding("jwks", Status::Pass,
                        tr("The JWKS holds %n usable RS256 key(s): %1.", nullptr, int(m_jwks->size()))
                            .arg(m_jwks->keyIds().join(QStringLiteral(", ")))));
        } else {
            add(finding(
                "jwks", Status::Fail,
                tr("The key set %1 is not usable: %2")
                    .arg(m_jwksUri.toString(),
                         error.isError() ? error.text() : tr("HTTP %1").arg(job->response().status)),
                tr("Make sure the tenant has an RS256 signing key (Auth0 Dashboard > Settings > Signing "
                   "Keys).")));
        }
        checkToken();
    });
    job->start();
}

void SetupDoctor::checkToken()
{
    if (m_cancelled)
        return;
    step(3);
    const QString rs256Fix =
        tr("In the Auth0 Dashboard: Applications > \"%1\" > Settings > Advanced Settings > OAuth > JSON Web "
           "Token (JWT) Signature Algorithm: choose RS256, save, then sign in again.")
            .arg(m_profile.auth0.clientId);
    if (m_options.idToken.isEmpty()) {
        const bool rs256 = m_providerAlgs.isEmpty() || m_providerAlgs.contains(QStringLiteral("RS256"));
        add(finding(
            "algorithm", rs256 ? Status::Warn : Status::Fail,
            rs256 ? tr("The provider signs with RS256 keys, but this client's own ID tokens were not "
                       "checked (no sign-in): a client set to HS256 fails at Cognito with \"Invalid "
                       "login token\".")
                  : tr("The provider offers no RS256 ID tokens (%1): Cognito accepts only RS256.")
                        .arg(m_providerAlgs.join(QStringLiteral(", "))),
            rs256 ? tr("Sign in first (or pass the token with --id-token-file), then run the doctor again.")
                  : rs256Fix));
        checkPool();
        return;
    }
    JwtInspector::Expectations expect;
    expect.issuer = m_discoveredIssuer.isEmpty() ? m_profile.auth0.issuer().toString() : m_discoveredIssuer;
    expect.clientId = m_profile.auth0.clientId;
    expect.jwks = m_jwks.get();
    expect.now = now();
    const JwtInspection token = JwtInspector::inspect(m_options.idToken, expect);
    if (!token.decoded) {
        add(finding("id_token", Status::Fail, tr("The ID token given cannot be decoded: %1").arg(token.error),
                    tr("Pass the whole ID token (three dot-separated parts).")));
        checkPool();
        return;
    }
    if (token.algorithm == QStringLiteral("RS256")) {
        add(finding("algorithm", Status::Pass, tr("This client's ID tokens are signed with RS256.")));
    } else {
        add(finding("algorithm", Status::Fail,
                    tr("This client's ID tokens are signed with %1. Fedsync refuses them and Cognito answers "
                       "\"Invalid login token. Couldn't verify signed token.\": only RS256 can be checked "
                       "against the provider's public keys.")
                        .arg(token.algorithm),
                    rs256Fix));
    }
    const JwtCheck *aud = token.check(QStringLiteral("aud"));
    add(finding("audience", aud->outcome == JwtCheck::Outcome::Fail ? Status::Fail : Status::Pass,
                aud->detail,
                aud->outcome == JwtCheck::Outcome::Fail
                    ? tr("Set auth0.client_id to the application's Client ID (the token's aud).")
                    : QString()));
    QStringList problems;
    for (const char *id : {"signature", "iss", "exp"}) {
        const JwtCheck *c = token.check(QLatin1String(id));
        if (c && c->outcome == JwtCheck::Outcome::Fail &&
            !(QLatin1String(id) == QLatin1String("signature") && token.algorithm != QStringLiteral("RS256")))
            problems << c->detail;
    }
    const JwtCheck *signature = token.check(QStringLiteral("signature"));
    if (problems.isEmpty())
        add(finding("id_token", Status::Pass,
                    signature ? signature->detail : tr("The ID token passes the offline checks.")));
    else
        add(finding("id_token", Status::Warn, problems.join(u' '),
                    tr("Sign in again to get a fresh token, then run the doctor again.")));
    checkPool();
}

void SetupDoctor::checkPool()
{
    if (m_cancelled)
        return;
    step(4);
    if (m_profile.cognito.isEmpty()) {
        finishChecks();
        return;
    }
    const EndpointResolver::Endpoint endpoint =
        EndpointResolver().resolve(AwsService::CognitoIdentity, m_profile.cognito);
    if (!endpoint.isValid()) {
        add(finding("pool", Status::Fail, endpoint.error.text(), endpoint.error.action));
        finishChecks();
        return;
    }
    m_aws = std::make_unique<aws::AwsClient>(m_network, m_profile.cognito.region);
    m_aws->setEndpoint(awsServiceName(AwsService::CognitoIdentity), endpoint.url);
    m_aws->setMaxAttempts(1);
    const QJsonObject input{{QStringLiteral("IdentityPoolId"), m_profile.cognito.identityPoolId}};
    if (m_options.staffCredentials) {
        auto source = std::make_shared<aws::StaticCredentialsSource>(*m_options.staffCredentials);
        m_aws->setCredentialsSource(source.get());
        aws::AwsCall *call =
            m_aws->callJson11(QStringLiteral("AWSCognitoIdentityService"), QStringLiteral("cognito-identity"),
                              QStringLiteral("DescribeIdentityPool"), input,
                              {true, tr("pool %1").arg(m_profile.cognito.identityPoolId), 0});
        m_jobs << call;
        connect(call, &aws::AwsCall::finished, this, [this, call, source] {
            call->deleteLater();
            if (!m_cancelled)
                onDescribePool(call);
        });
        return;
    }
    add(finding("pool_config", Status::Warn,
                tr("The identity pool's configuration was not read: no AWS credentials in the environment or "
                   "~/.aws/credentials."),
                tr("Export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY of an account allowed "
                   "cognito-identity:DescribeIdentityPool, then run the doctor again.")));
    if (!m_options.idToken.isEmpty()) {
        checkPoolWithToken();
        return;
    }
    // Nothing to sign with and no token: at least see whether the service answers, and read its clock.
    aws::AwsCall *call = m_aws->callJson11(
        QStringLiteral("AWSCognitoIdentityService"), QStringLiteral("cognito-identity"),
        QStringLiteral("DescribeIdentityPool"), input, {false, tr("reachability probe"), 0});
    m_jobs << call;
    connect(call, &aws::AwsCall::finished, this, [this, call, url = endpoint.url] {
        call->deleteLater();
        if (m_cancelled)
            return;
        noteServerDate(call->response().header("date"));
        if (call->failure().isTransport())
            add(finding("pool", Status::Fail,
                        tr("Cognito Identity at %1 cannot be reached: %2")
                            .arg(url.toString(), call->failure().error.text()),
                        tr("Check cognito.region and any endpoint override, and this computer's network.")));
        else
            add(finding(
                "pool", Status::Warn,
                tr("Cognito Identity answers at %1; the pool itself was not checked (no sign-in, no AWS "
                   "credentials).")
                    .arg(url.toString()),
                tr("Sign in first, or provide staff AWS credentials, then run the doctor again.")));
        finishChecks();
    });
}

void SetupDoctor::onDescribePool(aws::AwsCall *call)
{
    noteServerDate(call->response().header("date"));
    const aws::AwsFailure &failure = call->failure();
    const QString pool = m_profile.cognito.identityPoolId;
    if (failure.isTransport()) {
        add(finding("pool", Status::Fail,
                    tr("Cognito Identity cannot be reached: %1").arg(failure.error.text()),
                    tr("Check cognito.region and any endpoint override, and this computer's network.")));
        finishChecks();
        return;
    }
    if (failure.aws.type == QStringLiteral("ResourceNotFoundException")) {
        add(finding(
            "pool", Status::Fail,
            tr("There is no identity pool \"%1\" in %2 (this account).").arg(pool, m_profile.cognito.region),
            tr("Copy the pool id from the Cognito console in the pool's own region, and set cognito.region "
               "to that region.")));
    } else if (failure.isError()) {
        add(finding("pool_config", Status::Warn,
                    tr("The staff credentials (%1) could not read the pool: %2")
                        .arg(m_options.staffCredentialsOrigin, scrubSecrets(failure.aws.toString())),
                    tr("Use credentials allowed cognito-identity:DescribeIdentityPool on this pool.")));
    } else {
        const QJsonObject reply = call->json();
        add(finding("pool", Status::Pass,
                    tr("The identity pool \"%1\" (%2) exists in %3.")
                        .arg(reply.value(QStringLiteral("IdentityPoolName")).toString(), pool,
                             m_profile.cognito.region)));
        const QString providerName = m_profile.effectiveProviderName();
        const QString suffix = QStringLiteral(":oidc-provider/") + providerName;
        QStringList arns;
        bool listed = false;
        for (const QJsonValue &v : reply.value(QStringLiteral("OpenIdConnectProviderARNs")).toArray()) {
            arns << v.toString();
            listed = listed || v.toString().endsWith(suffix);
        }
        if (listed)
            add(finding("pool_provider", Status::Pass,
                        tr("The pool trusts the OpenID provider %1.").arg(providerName)));
        else
            add(finding(
                "pool_provider", Status::Fail,
                tr("The pool does not list the provider \"%1\" (it lists: %2): GetId fails with \"Token is "
                   "not from a supported provider of this identity pool\".")
                    .arg(providerName, arns.isEmpty() ? tr("none") : arns.join(QStringLiteral(", "))),
                tr("Add the IAM OIDC provider %1 to the pool (Cognito > Identity pools > the pool > User "
                   "access > Add identity provider > OpenID Connect), or fix cognito.provider_name.")
                    .arg(SetupCommands::providerArn(m_profile.cognito.accountId, providerName))));
        const QJsonValue clientIds = reply.value(QStringLiteral("OpenIdConnectProviderClientIds"));
        if (clientIds.isArray()) {
            QStringList ids;
            for (const QJsonValue &v : clientIds.toArray())
                ids << v.toString();
            if (ids.contains(m_profile.auth0.clientId))
                add(finding(
                    "pool_audience", Status::Pass,
                    tr("The provider accepts the audience (client id) %1.").arg(m_profile.auth0.clientId)));
            else
                add(finding(
                    "pool_audience", Status::Fail,
                    tr("The provider does not accept the audience %1 (it accepts: %2): Cognito answers "
                       "\"Token is not from a supported provider of this identity pool.\"")
                        .arg(m_profile.auth0.clientId, ids.join(QStringLiteral(", "))),
                    tr("aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn %1 "
                       "--client-id %2")
                        .arg(SetupCommands::providerArn(m_profile.cognito.accountId, providerName),
                             m_profile.auth0.clientId)));
        }
        const bool classic = reply.value(QStringLiteral("AllowClassicFlow")).toBool();
        if (m_profile.cognito.flow == CognitoSettings::Flow::Basic && !classic)
            add(finding(
                "classic_flow", Status::Fail,
                tr("The profile uses the basic flow but the pool does not allow it: GetOpenIdToken fails "
                   "with \"Basic (classic) flow is not enabled, please use enhanced flow.\""),
                tr("Set cognito.flow to \"enhanced\", or allow it: aws cognito-identity update-identity-pool "
                   "--identity-pool-id %1 --identity-pool-name %2 --allow-classic-flow "
                   "--no-allow-unauthenticated-identities")
                    .arg(pool, reply.value(QStringLiteral("IdentityPoolName")).toString())));
        else
            add(finding("classic_flow", Status::Pass,
                        m_profile.cognito.flow == CognitoSettings::Flow::Basic
                            ? tr("The pool allows the basic (classic) flow the profile uses.")
                            : tr("The profile uses the enhanced flow (the pool %1 the basic one).")
                                  .arg(classic ? tr("also allows") : tr("does not allow"))));
    }
    if (!m_options.idToken.isEmpty())
        checkPoolWithToken();
    else
        finishChecks();
}

void SetupDoctor::checkPoolWithToken()
{
    auto *identity = new aws::CognitoIdentityClient(m_aws.get(), this);
    const aws::CognitoLogins logins{{m_profile.effectiveProviderName(), m_options.idToken.toLatin1()}};
    auto diagnose = [this](const aws::AwsFailure &failure, const QString &operation) {
        aws::CognitoDiagnosticContext context;
        context.operation = operation;
        context.region = m_profile.cognito.region;
        context.identityPoolId = m_profile.cognito.identityPoolId;
        context.providerName = m_profile.effectiveProviderName();
        context.tokenIssuer = m_discoveredIssuer;
        context.clientId = m_profile.auth0.clientId;
        context.roleArn = m_profile.cognito.roleArn;
        context.customRoleArn = m_profile.cognito.customRoleArn;
        return aws::CognitoDiagnostics::diagnose(failure, context);
    };
    auto getId = std::make_shared<QPointer<aws::AwsCall>>();
    *getId = identity->getId(
        m_profile.cognito.identityPoolId, logins,
        [this, identity, logins, diagnose, getId](const QString &identityId, const aws::AwsFailure &failure) {
            identity->deleteLater();
            if (m_cancelled)
                return;
            if (*getId)
                noteServerDate((*getId)->response().header("date"));
            else if (failure.aws.serverDate.isValid())
                m_skewSeconds = now().secsTo(failure.aws.serverDate);
            if (failure.isError()) {
                const QString message = failure.aws.message;
                const char *id =
                    message.contains(QStringLiteral("not from a supported provider")) ? "pool_audience"
                    : failure.aws.type == QStringLiteral("ResourceNotFoundException") ? "pool"
                                                                                      : "pool_login";
                const UserError advice = diagnose(failure, QStringLiteral("GetId"));
                QString said =
                    scrubSecrets(failure.aws.isError() ? failure.aws.toString() : failure.error.text());
                while (said.endsWith(QLatin1Char('.')))
                    said.chop(1);
                add(finding(id, Status::Fail,
                            tr("Cognito refused the sign-in (GetId): %1. %2").arg(said, advice.why),
                            advice.action));
                finishChecks();
                return;
            }
            add(finding("pool_login", Status::Pass,
                        tr("Cognito accepted the ID token (GetId): identity %1.").arg(identityId)));
            bool classicKnown = false;
            for (const DoctorFinding &f : std::as_const(m_findings))
                classicKnown = classicKnown || f.id == QStringLiteral("classic_flow");
            if (m_profile.cognito.flow != CognitoSettings::Flow::Basic || classicKnown) {
                finishChecks();
                return;
            }
            auto *basic = new aws::CognitoIdentityClient(m_aws.get(), this);
            basic->getOpenIdToken(
                identityId, logins,
                [this, basic, diagnose](const QString &, const QByteArray &,
                                        const aws::AwsFailure &openIdFailure) {
                    basic->deleteLater();
                    if (m_cancelled)
                        return;
                    if (!openIdFailure.isError()) {
                        add(finding("classic_flow", Status::Pass,
                                    tr("The pool allows the basic (classic) flow.")));
                    } else if (openIdFailure.aws.message.contains(QStringLiteral("classic"))) {
                        add(finding("classic_flow", Status::Fail,
                                    tr("GetOpenIdToken: \"%1\" The profile uses the basic flow, "
                                       "which this pool does not allow.")
                                        .arg(openIdFailure.aws.message),
                                    tr("Set cognito.flow to \"enhanced\", or allow the classic "
                                       "flow on the pool (aws cognito-identity "
                                       "update-identity-pool ... --allow-classic-flow).")));
                    } else {
                        const UserError advice = diagnose(openIdFailure, QStringLiteral("GetOpenIdToken"));
                        add(finding("classic_flow", Status::Fail, advice.what + QLatin1Char(' ') + advice.why,
                                    advice.action));
                    }
                    finishChecks();
                });
        });
}

void SetupDoctor::finishChecks()
{
    if (m_cancelled || m_finished)
        return;
    step(StepCount);
    if (m_skewSeconds) {
        const qint64 skew = *m_skewSeconds;
        const QString direction = skew > 0 ? tr("behind") : tr("ahead of");
        const QString text = qAbs(skew) <= 1
                                 ? tr("This computer's clock agrees with the services' (their Date header).")
                                 : tr("This computer's clock is %1 s %2 the services' (their Date header).")
                                       .arg(qAbs(skew))
                                       .arg(direction);
        if (qAbs(skew) <= WarnSkewSeconds)
            add(finding("clock", Status::Pass, text));
        else
            add(finding(
                "clock", qAbs(skew) > FailSkewSeconds ? Status::Fail : Status::Warn,
                text + QLatin1Char(' ') +
                    tr("ID tokens then look expired or not yet valid, and AWS refuses signatures more than "
                       "5 minutes off."),
                tr("Turn on automatic time (NTP): timedatectl set-ntp true.")));
    }
    if (!m_thumbprint.isEmpty())
        add(finding("thumbprint", Status::Pass,
                    tr("IAM OIDC thumbprint for %1: %2 (SHA-1 of the last certificate the provider "
                       "presents). IAM no longer uses it for providers whose certificate chains to a CA it "
                       "trusts (Auth0's do), but create-open-id-connect-provider still takes one.")
                        .arg(m_profile.auth0.issuer().authority(), m_thumbprint)));
    m_finished = true;
    m_jobs.clear();
    qCInfo(lcInspect) << "setup doctor finished:" << m_findings.size() << "findings";
    Q_EMIT finished();
}

QList<SetupCommand> SetupDoctor::commands() const
{
    return SetupCommands::forProfile(m_profile, m_thumbprint);
}

QJsonObject SetupDoctor::toJson() const
{
    QJsonArray checks;
    for (const DoctorFinding &f : m_findings)
        checks.append(f.toJson());
    QJsonArray commandArray;
    for (const SetupCommand &c : commands())
        commandArray.append(c.toJson());
    return {{QStringLiteral("checks"), checks},
            {QStringLiteral("thumbprint"), m_thumbprint.isEmpty() ? QJsonValue() : QJsonValue(m_thumbprint)},
            {QStringLiteral("commands"), commandArray}};
}

} // namespace fedsync
