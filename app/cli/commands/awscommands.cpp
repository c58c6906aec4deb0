#include "awscommands.h"

#include "aws/awsclient.h"
#include "aws/awserror.h"
#include "aws/cognitocredentialsprovider.h"
#include "aws/credentialchain.h"
#include "aws/signedrequest.h"
#include "cliapp.h"
#include "common/errorcodes.h"
#include "log/redact.h"
#include "net/httpjob.h"
#include "net/networkcontext.h"
#include "session/awsaccess.h"
#include "session/profilecontext.h"
#include "session/signinstate.h"
#include "trace/flowtrace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fedsync::cli {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync-cli", text);
}

// ProfileContext sets the reason whenever it has no Cognito side.
UserError noCognito(const ProfileContext &context)
{
    return context.cognitoProblem();
}

// What a request is signed with, and where the keys came from (for --verbose).
struct Signer
{
    std::function<void(aws::AwsCredentialsSource::Callback)> credentials;
    QString origin;
    QString region; // the profile's, when signed in
    const NetworkContext *network = nullptr;
    const ProfileContext *session = nullptr;
};

// The AWS service of `url` when it is one of the profile's (sandbox) endpoints.
QString serviceForProfileEndpoint(const ProfileContext *session, const QUrl &url)
{
    if (!session || !session->cognito())
        return {};
    for (const AwsService service : {AwsService::CognitoIdentity, AwsService::Sts, AwsService::CognitoSync}) {
        const QUrl endpoint = session->cognito()->endpoint(service).url;
        if (endpoint.scheme() == url.scheme() && endpoint.host() == url.host() &&
            endpoint.port() == url.port())
            return awsServiceName(service);
    }
    return {};
}

struct RequestOptions
{
    QByteArray method;
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString service;
    QString region;
    bool verbose = false;
};

std::optional<RequestOptions> parseRequest(CliApp &app, UserError *error)
{
    auto usage = [error](const QString &what, const QString &action) {
        *error = UserError::make(errorcode::Usage, what, {}, action);
        return std::nullopt;
    };
    const QCommandLineParser &parser = app.parser();
    RequestOptions options;
    if (app.commandArguments().size() != 1)
        return usage(tr("request takes one URL"), tr("Example: fedsync-cli request -X POST -d @body.json "
                                                     "https://cognito-sync.us-east-1.amazonaws.com/…"));
    options.url = QUrl(app.commandArguments().first(), QUrl::StrictMode);
    if (!options.url.isValid() || options.url.isRelative() || options.url.host().isEmpty())
        return usage(tr("\"%1\" is not an absolute URL").arg(app.commandArguments().first()),
                     tr("Give the whole URL, starting with https://"));
    const QString method = parser.value(QStringLiteral("request")).trimmed().toUpper();
    QString data = parser.value(QStringLiteral("data"));
    options.method =
        method.isEmpty() ? (parser.isSet(QStringLiteral("data")) ? "POST" : "GET") : method.toLatin1();
    for (const QString &header : parser.values(QStringLiteral("header"))) {
        const qsizetype colon = header.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return usage(tr("The header \"%1\" has no name").arg(header),
                         tr("Write headers as -H 'Name: value'"));
        options.headers.append(
            {header.left(colon).trimmed().toLatin1(), header.mid(colon + 1).trimmed().toUtf8()});
    }
    if (data.startsWith(QLatin1Char('@'))) {
        QFile file(data.mid(1));
        if (!file.open(QIODevice::ReadOnly)) {
            *error =
                UserError::make(QStringLiteral("cli.data_file"), tr("Could not read %1").arg(data.mid(1)),
                                file.errorString(), tr("Check the path after @"));
            return std::nullopt;
        }
        options.body = file.readAll();
    } else {
        options.body = data.toUtf8();
    }
    options.service = parser.value(QStringLiteral("service")).trimmed();
    options.region = parser.value(QStringLiteral("region")).trimmed();
    options.verbose = parser.isSet(QStringLiteral("verbose"));
    return options;
}

struct SigningScope
{
    Signer signer;
    QString service;
    QString region;
    aws::AwsCredentials credentials;
};

// Signs with `now` and sends; a clock-skew refusal is retried once with the service's time, as the AWS
// SDKs do (a wrong local clock is common on VMs and laptops back from sleep).
void sendSigned(CliApp &app, const RequestOptions &options, const SigningScope &scope, const QDateTime &now,
                bool skewRetried)
{
    HttpRequest request;
    request.method = options.method;
    request.url = options.url;
    request.headers = options.headers;
    request.body = options.body;
    request.service = scope.service;
    request.operation = QStringLiteral("request");
    const aws::SignedRequest signedRequest =
        aws::signRequest(std::move(request), scope.credentials, scope.service, scope.region, now);
    QTextStream &err = app.err();
    if (options.verbose) {
        err << tr("* credentials: %1 (%2)").arg(scope.signer.origin, scope.credentials.summary()) << Qt::endl
            << tr("* service %1, region %2").arg(scope.service, scope.region) << Qt::endl
            << tr("* canonical request:") << Qt::endl
            << printableCanonicalRequest(signedRequest.signature.canonicalRequest) << Qt::endl
            << tr("* string to sign:") << Qt::endl
            << QString::fromUtf8(signedRequest.signature.stringToSign) << Qt::endl
            << QStringLiteral("> %1 %2").arg(QString::fromLatin1(options.method),
                                             options.url.toString(QUrl::FullyEncoded))
            << Qt::endl;
        for (const auto &[name, value] : signedRequest.request.headers)
            err << QStringLiteral("> %1: %2")
                       .arg(QString::fromLatin1(name), printableHeaderValue(name, value))
                << Qt::endl;
    }
    auto *job = new HttpJob(*scope.signer.network, signedRequest.request, &app);
    QObject::connect(job, &HttpJob::finished, &app, [&app, job, options, scope, skewRetried] {
        job->deleteLater();
        if (job->refusal().isError()) {
            app.fail(job->refusal());
            return;
        }
        const HttpResponse &response = job->response();
        if (response.isTransportFailure()) {
            app.fail(response.transportError(options.url));
            return;
        }
        if (!skewRetried && response.status >= 400) {
            const aws::AwsError error = aws::AwsError::parse(aws::AwsProtocol::RestJson, response.status,
                                                             response.headers, response.body);
            if (error.isClockSkew() && error.serverDate.isValid()) {
                app.err() << tr("fedsync-cli: this computer's clock is off by %1 s; signed again with the "
                                "service's time")
                                 .arg(QDateTime::currentDateTimeUtc().secsTo(error.serverDate))
                          << Qt::endl;
                sendSigned(app, options, scope, error.serverDate, true);
                return;
            }
        }
        if (options.verbose) {
            app.err() << QStringLiteral("< HTTP %1").arg(response.status) << Qt::endl;
            for (const auto &[name, value] : response.headers)
                app.err() << QStringLiteral("< %1: %2")
                                 .arg(QString::fromLatin1(name), printableHeaderValue(name, value))
                          << Qt::endl;
        }
        app.out() << QString::fromUtf8(response.body);
        if (!response.body.endsWith('\n'))
            app.out() << Qt::endl;
        if (response.status < 200 || response.status >= 300) {
            app.err() << tr("fedsync-cli: the service answered HTTP %1").arg(response.status) << Qt::endl;
            app.finish(Failed);
            return;
        }
        app.finish(Ok);
    });
    job->start();
}

void send(CliApp &app, const RequestOptions &options, const Signer &signer)
{
    QString service = options.service;
    QString region = options.region;
    const auto fromHost = aws::serviceAndRegionFromHost(options.url.host());
    if (service.isEmpty())
        service = fromHost ? fromHost->service : serviceForProfileEndpoint(signer.session, options.url);
    if (region.isEmpty())
        region = fromHost ? fromHost->region : signer.region;
    if (region.isEmpty())
        region = aws::CredentialChain(QProcessEnvironment::systemEnvironment(), QDir::homePath()).region();
    if (service.isEmpty() || region.isEmpty()) {
        app.fail(UserError::make(
                     errorcode::Usage,
                     tr("Could not tell which AWS service and region %1 belongs to").arg(options.url.host()),
                     tr("Only *.amazonaws.com host names say it"),
                     tr("Pass --service (e.g. cognito-sync) and --region (e.g. us-east-1)")),
                 Usage);
        return;
    }
    const UserError refused = NetworkContext::checkUrlAllowed(options.url);
    if (refused.isError()) {
        app.fail(refused);
        return;
    }
    signer.credentials([&app, options, signer, service, region](const aws::AwsCredentials &credentials,
                                                                const UserError &error) {
        if (error.isError()) {
            app.fail(error);
            return;
        }
        sendSigned(app, options, {signer, service, region, credentials}, QDateTime::currentDateTimeUtc(),
                   false);
    });
}

// Signing with a person's own keys, outside any profile: a network context of its own.
void sendWithCredentialChain(CliApp &app, const RequestOptions &options, const UserError &whyNotSignedIn)
{
    const aws::CredentialChain chain(QProcessEnvironment::systemEnvironment(), QDir::homePath());
    const aws::CredentialChain::Result keys = chain.resolve();
    if (keys.error.isError()) {
        // Say why the profile's session could not be used too, unless there simply was none.
        if (!errorcode::isOneOf(whyNotSignedIn.code, {errorcode::SessionNone, errorcode::NoProfile}) &&
            whyNotSignedIn.isError())
            app.err() << tr("fedsync-cli: not using the profile's sign-in: %1").arg(whyNotSignedIn.text())
                      << Qt::endl;
        app.fail(keys.error);
        return;
    }
    UserError error;
    const NetworkContext *network = app.standaloneNetwork(&error);
    if (!network) {
        app.fail(error);
        return;
    }
    Signer signer;
    std::shared_ptr<aws::AwsCredentialsSource> source = aws::CredentialChain::sourceFor(keys);
    signer.credentials = [source](aws::AwsCredentialsSource::Callback callback) {
        source->requestCredentials(std::move(callback));
    };
    signer.origin = keys.origin;
    signer.network = network;
    send(app, options, signer);
}
} // namespace

CredentialsCommand::CredentialsCommand()
    : Command(QStringLiteral("credentials"), tr("Print AWS credentials as credential_process JSON"))
{
    setDescription(tr("Print the signed-in user's AWS credentials in the AWS CLI's credential_process format "
                      "(Version 1), for ~/.aws/config:\n"
                      "  credential_process = /usr/bin/fedsync-cli --profile-file PROFILE credentials"));
}

namespace {
// The AWS CLI / SDK credential_process format (Version 1).
void printCredentialProcessJson(CliApp &app, const aws::AwsCredentials &credentials)
{
    QJsonObject json{{QStringLiteral("Version"), 1},
                     {QStringLiteral("AccessKeyId"), credentials.accessKeyId},
                     {QStringLiteral("SecretAccessKey"), QString::fromUtf8(credentials.secretAccessKey)},
                     {QStringLiteral("SessionToken"), QString::fromUtf8(credentials.sessionToken)}};
    if (credentials.expiration.isValid())
        json.insert(QStringLiteral("Expiration"), credentials.expiration.toUTC().toString(Qt::ISODate));
    app.out() << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented));
    app.finish(Ok);
}
} // namespace

void CredentialsCommand::run(CliApp &app)
{
    // The AWS CLI runs this before each of its commands: while the credentials last, they come from the
    // copy the OS keeps at hand, without the keychain, the session lock or a request.
    UserError problem;
    ProfileContext *opened = app.context(&problem);
    if (!opened) {
        app.fail(problem);
        return;
    }
    if (opened->cognito()) {
        if (const aws::AwsCredentials held = opened->cognito()->credentials()->credentialsAtHand();
            held.isValid()) {
            printCredentialProcessJson(app, held);
            return;
        }
    }
    app.withSession([&app](ProfileContext &context) {
        if (!context.cognito()) {
            app.fail(noCognito(context));
            return;
        }
        context.cognito()->credentials()->requestCredentials(
            [&app](const aws::AwsCredentials &credentials, const UserError &error) {
                if (error.isError())
                    app.fail(error);
                else
                    printCredentialProcessJson(app, credentials);
            });
    });
}

IdentityCommand::IdentityCommand()
    : Command(QStringLiteral("identity"),
              tr("Get AWS credentials; show the Cognito identity, the flow and every hop"))
{
    setJsonHelp(tr("Print the identity, the flow, the endpoints and the hops as JSON."));
}

void IdentityCommand::run(CliApp &app)
{
    const bool json = app.parser().isSet(QStringLiteral("json"));
    app.withSession([&app, json](ProfileContext &context) {
        if (!context.cognito()) {
            app.fail(noCognito(context));
            return;
        }
        AwsAccess *cognito = context.cognito();
        cognito->credentials()->requestCredentials([&app, &context, cognito,
                                                    json](const aws::AwsCredentials &credentials,
                                                          const UserError &error) {
            if (error.isError()) {
                app.fail(error);
                return;
            }
            QJsonObject endpoints;
            for (const AwsService service :
                 {AwsService::CognitoIdentity, AwsService::Sts, AwsService::CognitoSync})
                endpoints.insert(awsServiceName(service), cognito->endpoint(service).url.toString());
            const QString expires = credentials.expiration.toUTC().toString(Qt::ISODate);
            if (json) {
                QJsonArray hops;
                for (const TraceEvent &event : context.trace()->events())
                    hops.append(event.toJson());
                const QJsonObject out{
                    {QStringLiteral("identity_id"), credentials.identityId},
                    {QStringLiteral("identity_pool_id"), context.profile().cognito.identityPoolId},
                    {QStringLiteral("provider_name"), context.profile().effectiveProviderName()},
                    {QStringLiteral("flow"), cognito->flow() == CognitoSettings::Flow::Basic
                                                 ? QStringLiteral("basic")
                                                 : QStringLiteral("enhanced")},
                    {QStringLiteral("access_key_id"), redact(credentials.accessKeyId)},
                    {QStringLiteral("expiration"), expires},
                    {QStringLiteral("endpoints"), endpoints},
                    {QStringLiteral("refresh_token"), context.session()->refreshTokenLength()},
                    {QStringLiteral("hops"), hops}};
                app.out() << QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Indented));
            } else {
                app.out() << tr("identity: %1\n  pool: %2\n  login: %3\n  flow: %4\n  credentials expire: %5")
                                 .arg(credentials.identityId, context.profile().cognito.identityPoolId,
                                      context.profile().effectiveProviderName(), cognito->flowDescription(),
                                      expires)
                          << Qt::endl;
                // The sign-in the chain starts from, as its length only: with the ID token cached in the
                // keychain no refresh hop shows it below.
                if (const QString refresh = context.session()->refreshTokenLength(); !refresh.isEmpty())
                    app.out() << tr("  sign-in: refresh token %1").arg(refresh) << Qt::endl;
                app.out() << tr("hops:") << Qt::endl;
                for (const TraceEvent &event : context.trace()->events())
                    app.out() << QStringLiteral("  %1. %2").arg(event.sequence).arg(event.oneLine())
                              << Qt::endl;
            }
            app.finish(Ok);
        });
    });
}

RequestCommand::RequestCommand()
    : Command(QStringLiteral("request"), tr("Send a SigV4-signed request (awscurl-style)"))
{
    setDescription(tr("Send a SigV4-signed request with the signed-in user's AWS credentials; when nobody is "
                      "signed in, with the standard AWS credential chain (AWS_ACCESS_KEY_ID..., "
                      "~/.aws/credentials, AWS_PROFILE; AWS_CA_BUNDLE for a private CA). The answer's body "
                      "goes to stdout."));
    addArgument(QStringLiteral("URL"), tr("The absolute URL to send the request to."));
    addOption({{QStringLiteral("X"), QStringLiteral("request")},
               tr("The HTTP method (default GET, POST with -d)."),
               tr("method")});
    addOption({{QStringLiteral("H"), QStringLiteral("header")},
               tr("A header to send, 'Name: value' (repeatable)."),
               tr("header")});
    addOption({{QStringLiteral("d"), QStringLiteral("data")},
               tr("The body, or @file to read it from a file."),
               tr("body")});
    addOption(
        {QStringLiteral("service"), tr("The SigV4 service name (default: from the host name)."), tr("name")});
    addOption({QStringLiteral("region"), tr("The SigV4 region (default: from the host name or the profile)."),
               tr("region")});
    addOption(
        {QStringLiteral("verbose"), tr("Show the canonical request, the string to sign and the headers.")});
}

void RequestCommand::run(CliApp &app)
{
    UserError error;
    const std::optional<RequestOptions> options = parseRequest(app, &error);
    if (!options) {
        app.fail(error, error.code == errorcode::Usage ? Usage : Failed);
        return;
    }
    app.withSession(
        [&app, options = *options](ProfileContext &context) {
            if (!context.cognito()) {
                sendWithCredentialChain(app, options, noCognito(context));
                return;
            }
            Signer signer;
            aws::CognitoCredentialsProvider *provider = context.cognito()->credentials();
            signer.credentials = [provider](aws::AwsCredentialsSource::Callback callback) {
                provider->requestCredentials(std::move(callback));
            };
            signer.origin = tr("Amazon Cognito identity of the signed-in user");
            signer.region = context.profile().cognito.region;
            signer.network = &context.network();
            signer.session = &context;
            send(app, options, signer);
        },
        [&app, options = *options](const UserError &reason) {
            // Nobody signed in (or no profile at all): the standard AWS credential chain, as awscurl does.
            if (errorcode::isOneOf(reason.code, {errorcode::SessionNone, errorcode::NoProfile}))
                sendWithCredentialChain(app, options, reason);
            else
                app.fail(reason);
        });
}

} // namespace fedsync::cli
