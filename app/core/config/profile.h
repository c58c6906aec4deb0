// A profile: the Auth0 side and the Cognito side of one federation setup, as plain values. Loading,
// saving and checking live elsewhere (ProfileFile, ProfileStore, ProfileValidator). A profile never holds
// a secret: Auth0 native clients are public (PKCE), and tokens live in the keychain.
#pragma once

#include <QString>
#include <QUrl>

#include <optional>

namespace fedsync {

// The AWS services the Cognito side talks to.
enum class AwsService { CognitoIdentity, Sts, CognitoSync, DynamoDb };

// "cognito-identity", "sts", "cognito-sync", "dynamodb": the endpoint prefix, also used in traces and logs.
QString awsServiceName(AwsService service);

struct Auth0Settings
{
    enum class BrowserMode {
        Embedded, // Fedsync's own login window
        System,   // the default browser with a loopback or private-scheme redirect (RFC 8252)
    };

    static QString defaultScope() { return QStringLiteral("openid profile email offline_access"); }
    static QString defaultRedirectUri() { return QStringLiteral("org.fedsync.app://callback"); }
    static QString defaultLogoutReturnTo() { return QStringLiteral("org.fedsync.app://logout"); }

    QString domain; // the tenant's host (and port), e.g. "tenant.eu.auth0.com" or "127.0.0.1:18440"
    QString clientId;
    QString audience; // optional API identifier
    QString scope = defaultScope();
    QString redirectUri = defaultRedirectUri();
    QString logoutReturnTo = defaultLogoutReturnTo();
    QString connection;   // optional: skip Auth0's connection picker
    QString organization; // optional: Auth0 Organizations
    std::optional<int> maxAgeSeconds;
    QString uiLocales;
    BrowserMode browser = BrowserMode::Embedded;

    // "https://<domain>/" with the trailing slash Auth0 puts in `iss`. A domain written as a URL
    // ("https://tenant.auth0.com/") gives the same issuer; an http loopback domain keeps http (local
    // test providers). Invalid when the domain is empty.
    QUrl issuer() const;
    // The issuer + ".well-known/openid-configuration".
    QUrl discoveryUrl() const;

    // The domain without a leading "https://", surrounding spaces or trailing slashes.
    static QString normalizedDomain(const QString &domain);

    friend bool operator==(const Auth0Settings &, const Auth0Settings &) = default;
};

struct CognitoSettings
{
    enum class Flow {
        Enhanced, // GetId, GetCredentialsForIdentity (optionally with customRoleArn)
        Basic,    // GetId, GetOpenIdToken, STS AssumeRoleWithWebIdentity with roleArn
    };

    QString region;         // e.g. "eu-west-1"
    QString identityPoolId; // "<region>:<uuid>"
    QString providerName;   // the Logins key; empty = derived from the issuer
    QString accountId;      // optional, 12 digits
    Flow flow = Flow::Enhanced;
    QString roleArn;       // required for the basic flow
    QString customRoleArn; // optional, enhanced flow
    // Endpoint overrides as typed (empty = the regional default); see EndpointResolver for the
    // precedence, ProfileValidator for what is accepted.
    QString cognitoIdentityEndpoint;
    QString stsEndpoint;
    QString cognitoSyncEndpoint;

    // Where the datasets live. Cognito Sync takes no new customers since July 2026: new setups keep
    // their datasets in a DynamoDB table keyed by identity id (see docs/dynamodb-store.md). A DynamoDB
    // profile still names the Cognito Sync endpoint it migrates from (cognitoSyncEndpoint).
    enum class Store { CognitoSync, DynamoDb };
    Store store = Store::CognitoSync;
    QString dynamoDbTable;
    QString dynamoDbRegion;   // empty: the identity pool's region
    QString dynamoDbEndpoint; // override as typed; see EndpointResolver

    // The DynamoDB table's region: dynamoDbRegion, else the pool's.
    QString effectiveDynamoDbRegion() const { return dynamoDbRegion.isEmpty() ? region : dynamoDbRegion; }

    // The Logins key: the override, or the issuer without "https://" with its trailing slash kept
    // ("tenant.auth0.com/"). It must match how the IAM OIDC provider was created.
    QString effectiveProviderName(const QUrl &issuer) const;

    // Nothing filled in: the profile only signs in, with no AWS credentials.
    bool isEmpty() const;
    // Enough to get AWS credentials (region, pool, and the role for the basic flow). Whether the values
    // are well formed is ProfileValidator's business.
    bool isConfigured() const;

    QString endpointOverride(AwsService service) const;
    void setEndpointOverride(AwsService service, const QString &url);

    friend bool operator==(const CognitoSettings &, const CognitoSettings &) = default;
};

struct Profile
{
    QString id;   // stable slug, the settings key ("work", "sandbox-2"); see ProfileStore
    QString name; // shown to the user
    Auth0Settings auth0;
    CognitoSettings cognito;
    QString caFile; // optional extra PEM CA certificates (the sandbox's), absolute path
    // The file this profile was loaded from for this run (--profile-file); empty for a saved profile.
    // Not part of the file or the settings: it gives such a profile its own keychain namespace.
    QString sourceFile;
    // At sign-in, record an identity card (sub, email, name, last sign-in, app version) in the user's
    // own store so support staff can find the user (see IdentityCard). On unless turned off.
    bool identityCard = true;

    QString effectiveProviderName() const { return cognito.effectiveProviderName(auth0.issuer()); }

    // A slug made from a name: lower-case ASCII letters, digits and single dashes ("My Tenant (EU)" ->
    // "my-tenant-eu"); "profile" when nothing is left.
    static QString slugFor(const QString &name);
    // Whether `id` can be a settings group name: [a-z0-9] then [a-z0-9-], at most 64 characters.
    static bool isValidId(const QString &id);

    friend bool operator==(const Profile &, const Profile &) = default;
};

} // namespace fedsync
