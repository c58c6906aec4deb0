#include "config/profilefile.h"

#include "log/logcategories.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSaveFile>

#include <cmath>
#include <limits>

namespace fedsync {

namespace {

const QString versionKey = QStringLiteral("fedsync_profile");

QString browserName(Auth0Settings::BrowserMode mode)
{
    return mode == Auth0Settings::BrowserMode::System ? QStringLiteral("system") : QStringLiteral("embedded");
}

QString flowName(CognitoSettings::Flow flow)
{
    return flow == CognitoSettings::Flow::Basic ? QStringLiteral("basic") : QStringLiteral("enhanced");
}

// Reads typed fields and keeps the first problem, named by its key path ("auth0.client_id").
class FieldReader
{
public:
    explicit FieldReader(QString source)
        : m_source(std::move(source))
    {}

    bool failed() const { return m_error.isError(); }
    const UserError &error() const { return m_error; }

    // Absent or null -> `fallback`; present but not a string -> error.
    QString string(const QJsonObject &object, const QString &prefix, const QString &key,
                   const QString &fallback = {})
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return fallback;
        if (!value.isString()) {
            wrongType(prefix + key, ProfileFile::tr("text"));
            return fallback;
        }
        return value.toString();
    }

    QString requiredString(const QJsonObject &object, const QString &prefix, const QString &key)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull()) {
            missing(prefix + key);
            return {};
        }
        return string(object, prefix, key);
    }

    std::optional<int> optionalInt(const QJsonObject &object, const QString &prefix, const QString &key)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        const double number = value.toDouble(std::numeric_limits<double>::quiet_NaN());
        if (!value.isDouble() || std::trunc(number) != number || number < std::numeric_limits<int>::min() ||
            number > std::numeric_limits<int>::max()) {
            wrongType(prefix + key, ProfileFile::tr("whole number"));
            return std::nullopt;
        }
        return static_cast<int>(number);
    }

    // Absent or null -> empty object; present but not an object -> error.
    QJsonObject object(const QJsonObject &parent, const QString &prefix, const QString &key)
    {
        const QJsonValue value = parent.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isObject()) {
            wrongType(prefix + key, ProfileFile::tr("JSON object"));
            return {};
        }
        return value.toObject();
    }

    // One of `names` (index returned), absent -> `fallback`.
    int choice(const QJsonObject &object, const QString &prefix, const QString &key, const QStringList &names,
               int fallback)
    {
        const QString text = string(object, prefix, key);
        if (text.isEmpty())
            return fallback;
        const qsizetype index = names.indexOf(text.trimmed().toLower());
        if (index < 0) {
            badValue(prefix + key, text,
                     ProfileFile::tr("It must be one of: %1").arg(names.join(QStringLiteral(", "))));
            return fallback;
        }
        return int(index);
    }

    void missing(const QString &field)
    {
        setError(QStringLiteral("config.file.missing"),
                 ProfileFile::tr("The profile file %1 has no \"%2\"").arg(m_source, field),
                 ProfileFile::tr("Every profile needs it"),
                 ProfileFile::tr("Add \"%1\" to the file, or export the profile again").arg(field));
    }

    void wrongType(const QString &field, const QString &expected)
    {
        setError(QStringLiteral("config.file.type"),
                 ProfileFile::tr("\"%1\" in the profile file %2 is not %3").arg(field, m_source, expected),
                 ProfileFile::tr("Profile files hold each setting as a particular JSON type"),
                 ProfileFile::tr("Fix \"%1\" in the file, or export the profile again").arg(field));
    }

    void badValue(const QString &field, const QString &value, const QString &why)
    {
        setError(QStringLiteral("config.file.value"),
                 ProfileFile::tr("\"%1\" in the profile file %2 has the unusable value \"%3\"")
                     .arg(field, m_source, value),
                 why, ProfileFile::tr("Fix \"%1\" in the file").arg(field));
    }

    void setError(const QString &code, const QString &what, const QString &why, const QString &action,
                  const QString &details = {})
    {
        if (!m_error.isError())
            m_error = UserError::make(code, what, why, action, details);
    }

private:
    QString m_source;
    UserError m_error;
};

void setError(UserError *target, const UserError &error)
{
    if (target)
        *target = error;
}

} // namespace

std::optional<Profile> ProfileFile::load(const QString &path, UserError *error)
{
    const QString shown = QDir::toNativeSeparators(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, UserError::make(QStringLiteral("config.file.unreadable"),
                                        tr("The profile file %1 could not be read").arg(shown),
                                        file.errorString(), tr("Check the path and the file's permissions")));
        return std::nullopt;
    }
    if (file.size() > MaxSize) {
        setError(error, UserError::make(QStringLiteral("config.file.toolarge"),
                                        tr("The file %1 is too large to be a profile").arg(shown),
                                        tr("Profile files are a few hundred bytes"),
                                        tr("Check that you chose the right file")));
        return std::nullopt;
    }
    const QByteArray data = file.readAll();
    qCDebug(lcConfig) << "loading profile file" << path;
    return fromJson(data, QFileInfo(path).absolutePath(), shown, error);
}

std::optional<Profile> ProfileFile::fromJson(const QByteArray &json, const QString &baseDir,
                                             const QString &source, UserError *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(error, UserError::make(
                            QStringLiteral("config.file.json"),
                            tr("The profile file %1 is not valid JSON").arg(source),
                            tr("%1 at character %2").arg(parseError.errorString()).arg(parseError.offset),
                            tr("Fix the file, or export the profile again"),
                            QStringLiteral("offset %1").arg(parseError.offset)));
        return std::nullopt;
    }
    if (!document.isObject()) {
        setError(error,
                 UserError::make(QStringLiteral("config.file.json"),
                                 tr("The profile file %1 is not a Fedsync profile").arg(source),
                                 tr("It holds no JSON object"), tr("Check that you chose the right file")));
        return std::nullopt;
    }
    const QJsonObject root = document.object();

    const QJsonValue version = root.value(versionKey);
    if (version.isUndefined()) {
        setError(error, UserError::make(QStringLiteral("config.file.notprofile"),
                                        tr("The file %1 is not a Fedsync profile").arg(source),
                                        tr("It has no \"%1\" format version").arg(versionKey),
                                        tr("Check that you chose the right file")));
        return std::nullopt;
    }
    const double versionNumber = version.toDouble(-1);
    if (!version.isDouble() || versionNumber < 1 || std::trunc(versionNumber) != versionNumber) {
        setError(error,
                 UserError::make(QStringLiteral("config.file.version"),
                                 tr("The profile file %1 has an invalid \"%2\"").arg(source, versionKey),
                                 tr("The format version is a whole number, 1 for this Fedsync"),
                                 tr("Fix the file, or export the profile again")));
        return std::nullopt;
    }
    if (versionNumber > FormatVersion) {
        setError(error, UserError::make(QStringLiteral("config.file.newer"),
                                        tr("The profile file %1 was made by a newer Fedsync (format %2)")
                                            .arg(source)
                                            .arg(versionNumber),
                                        tr("This Fedsync reads profile format %1 only").arg(FormatVersion),
                                        tr("Update Fedsync, or export the profile in the older format")));
        return std::nullopt;
    }

    FieldReader read(source);
    Profile profile;
    const QString top;
    const QString a0 = QStringLiteral("auth0.");
    const QString cg = QStringLiteral("cognito.");
    const QString ep = QStringLiteral("cognito.endpoints.");

    const QJsonValue auth0Value = root.value(QStringLiteral("auth0"));
    if (auth0Value.isUndefined() || auth0Value.isNull())
        read.missing(QStringLiteral("auth0"));
    const QJsonObject auth0 = read.object(root, top, QStringLiteral("auth0"));
    Auth0Settings &a = profile.auth0;
    a.domain = read.requiredString(auth0, a0, QStringLiteral("domain"));
    a.clientId = read.requiredString(auth0, a0, QStringLiteral("client_id"));
    a.audience = read.string(auth0, a0, QStringLiteral("audience"));
    a.scope = read.string(auth0, a0, QStringLiteral("scope"), Auth0Settings::defaultScope());
    a.redirectUri =
        read.string(auth0, a0, QStringLiteral("redirect_uri"), Auth0Settings::defaultRedirectUri());
    a.logoutReturnTo =
        read.string(auth0, a0, QStringLiteral("logout_return_to"), Auth0Settings::defaultLogoutReturnTo());
    a.connection = read.string(auth0, a0, QStringLiteral("connection"));
    a.organization = read.string(auth0, a0, QStringLiteral("organization"));
    a.maxAgeSeconds = read.optionalInt(auth0, a0, QStringLiteral("max_age"));
    a.uiLocales = read.string(auth0, a0, QStringLiteral("ui_locales"));
    a.browser = static_cast<Auth0Settings::BrowserMode>(read.choice(
        auth0, a0, QStringLiteral("browser"), {QStringLiteral("embedded"), QStringLiteral("system")}, 0));

    const QJsonObject cognito = read.object(root, top, QStringLiteral("cognito"));
    CognitoSettings &c = profile.cognito;
    c.region = read.string(cognito, cg, QStringLiteral("region"));
    c.identityPoolId = read.string(cognito, cg, QStringLiteral("identity_pool_id"));
    c.providerName = read.string(cognito, cg, QStringLiteral("provider_name"));
    c.accountId = read.string(cognito, cg, QStringLiteral("account_id"));
    c.flow = static_cast<CognitoSettings::Flow>(read.choice(
        cognito, cg, QStringLiteral("flow"), {QStringLiteral("enhanced"), QStringLiteral("basic")}, 0));
    c.roleArn = read.string(cognito, cg, QStringLiteral("role_arn"));
    c.customRoleArn = read.string(cognito, cg, QStringLiteral("custom_role_arn"));
    const QJsonObject endpoints = read.object(cognito, cg, QStringLiteral("endpoints"));
    c.cognitoIdentityEndpoint = read.string(endpoints, ep, QStringLiteral("cognito_identity"));
    c.stsEndpoint = read.string(endpoints, ep, QStringLiteral("sts"));
    c.cognitoSyncEndpoint = read.string(endpoints, ep, QStringLiteral("cognito_sync"));

    c.store = static_cast<CognitoSettings::Store>(read.choice(
        root, top, QStringLiteral("store"), {QStringLiteral("cognito-sync"), QStringLiteral("dynamodb")}, 0));
    const QString dd = QStringLiteral("dynamodb.");
    const QJsonObject dynamodb = read.object(root, top, QStringLiteral("dynamodb"));
    c.dynamoDbTable = read.string(dynamodb, dd, QStringLiteral("table")).trimmed();
    c.dynamoDbRegion = read.string(dynamodb, dd, QStringLiteral("region")).trimmed();
    c.dynamoDbEndpoint = read.string(dynamodb, dd, QStringLiteral("endpoint")).trimmed();

    const QString caFile = read.string(root, top, QStringLiteral("ca_file")).trimmed();
    if (!caFile.isEmpty()) {
        profile.caFile = QDir::isRelativePath(caFile) && !baseDir.isEmpty()
                             ? QDir::cleanPath(QDir(baseDir).absoluteFilePath(caFile))
                             : caFile;
    }

    if (root.value(QStringLiteral("identity_card")).isBool())
        profile.identityCard = root.value(QStringLiteral("identity_card")).toBool();

    profile.name = read.string(root, top, QStringLiteral("name")).trimmed();
    if (profile.name.isEmpty())
        profile.name = Auth0Settings::normalizedDomain(a.domain);
    profile.id = read.string(root, top, QStringLiteral("id")).trimmed();
    if (profile.id.isEmpty())
        profile.id = Profile::slugFor(profile.name);
    else if (!Profile::isValidId(profile.id))
        read.badValue(QStringLiteral("id"), profile.id,
                      tr("Profile ids are lower-case letters, digits and dashes, e.g. \"work-eu\""));

    if (read.failed()) {
        setError(error, read.error());
        return std::nullopt;
    }
    return profile;
}

QByteArray ProfileFile::toJson(const Profile &profile)
{
    const Auth0Settings &a = profile.auth0;
    QJsonObject auth0{
        {QStringLiteral("domain"), a.domain},
        {QStringLiteral("client_id"), a.clientId},
        {QStringLiteral("audience"), a.audience},
        {QStringLiteral("scope"), a.scope},
        {QStringLiteral("redirect_uri"), a.redirectUri},
        {QStringLiteral("logout_return_to"), a.logoutReturnTo},
        {QStringLiteral("browser"), browserName(a.browser)},
    };
    if (!a.connection.isEmpty())
        auth0.insert(QStringLiteral("connection"), a.connection);
    if (!a.organization.isEmpty())
        auth0.insert(QStringLiteral("organization"), a.organization);
    if (a.maxAgeSeconds)
        auth0.insert(QStringLiteral("max_age"), *a.maxAgeSeconds);
    if (!a.uiLocales.isEmpty())
        auth0.insert(QStringLiteral("ui_locales"), a.uiLocales);

    QJsonObject root{
        {versionKey, FormatVersion},
        {QStringLiteral("name"), profile.name},
        {QStringLiteral("auth0"), auth0},
    };
    if (!profile.id.isEmpty())
        root.insert(QStringLiteral("id"), profile.id);

    const CognitoSettings &c = profile.cognito;
    if (!c.isEmpty()) {
        QJsonObject cognito{
            {QStringLiteral("region"), c.region},
            {QStringLiteral("identity_pool_id"), c.identityPoolId},
            {QStringLiteral("provider_name"), c.providerName},
            {QStringLiteral("account_id"), c.accountId},
            {QStringLiteral("flow"), flowName(c.flow)},
            {QStringLiteral("role_arn"), c.roleArn},
        };
        if (!c.customRoleArn.isEmpty())
            cognito.insert(QStringLiteral("custom_role_arn"), c.customRoleArn);
        QJsonObject endpoints;
        const std::pair<AwsService, QString> keys[] = {
            {AwsService::CognitoIdentity, QStringLiteral("cognito_identity")},
            {AwsService::Sts, QStringLiteral("sts")},
            {AwsService::CognitoSync, QStringLiteral("cognito_sync")},
        };
        for (const auto &[service, key] : keys) {
            const QString url = c.endpointOverride(service);
            if (!url.isEmpty())
                endpoints.insert(key, url);
        }
        if (!endpoints.isEmpty())
            cognito.insert(QStringLiteral("endpoints"), endpoints);
        root.insert(QStringLiteral("cognito"), cognito);
    }
    if (c.store == CognitoSettings::Store::DynamoDb)
        root.insert(QStringLiteral("store"), QStringLiteral("dynamodb"));
    QJsonObject dynamodb;
    const std::pair<QString, QString> dynamoFields[] = {{QStringLiteral("table"), c.dynamoDbTable},
                                                        {QStringLiteral("region"), c.dynamoDbRegion},
                                                        {QStringLiteral("endpoint"), c.dynamoDbEndpoint}};
    for (const auto &[key, value] : dynamoFields) {
        if (!value.isEmpty())
            dynamodb.insert(key, value);
    }
    if (!dynamodb.isEmpty())
        root.insert(QStringLiteral("dynamodb"), dynamodb);
    if (!profile.caFile.isEmpty())
        root.insert(QStringLiteral("ca_file"), profile.caFile);
    if (!profile.identityCard)
        root.insert(QStringLiteral("identity_card"), false);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

UserError ProfileFile::save(const Profile &profile, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson(profile)) < 0 || !file.commit()) {
        return UserError::make(QStringLiteral("config.file.write"),
                               tr("The profile could not be saved to %1").arg(QDir::toNativeSeparators(path)),
                               file.errorString(), tr("Choose a folder you can write to"));
    }
    qCDebug(lcConfig) << "saved profile file" << path;
    return {};
}

} // namespace fedsync
