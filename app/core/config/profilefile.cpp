#include "config/profilefile.h"

#include "common/jsonfieldreader.h"
#include "config/profilefields.h"
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

// The profile file's words for the first problem the reader met, named by its key path ("auth0.client_id").
UserError fileError(const JsonFieldReader::Failure &failure, const QString &source)
{
    const QString &field = failure.field;
    switch (failure.problem) {
    case JsonFieldReader::Problem::None:
        return {};
    case JsonFieldReader::Problem::Missing:
        return UserError::make(QStringLiteral("config.file.missing"),
                               ProfileFile::tr("The profile file %1 has no \"%2\"").arg(source, field),
                               ProfileFile::tr("Every profile needs it"),
                               ProfileFile::tr("Add \"%1\" to the file, or export the profile again").arg(field));
    case JsonFieldReader::Problem::WrongType: {
        QString expected = ProfileFile::tr("text");
        if (failure.expected == JsonFieldReader::Kind::WholeNumber)
            expected = ProfileFile::tr("whole number");
        else if (failure.expected == JsonFieldReader::Kind::Object)
            expected = ProfileFile::tr("JSON object");
        return UserError::make(
            QStringLiteral("config.file.type"),
            ProfileFile::tr("\"%1\" in the profile file %2 is not %3").arg(field, source, expected),
            ProfileFile::tr("Profile files hold each setting as a particular JSON type"),
            ProfileFile::tr("Fix \"%1\" in the file, or export the profile again").arg(field));
    }
    case JsonFieldReader::Problem::BadValue:
        return UserError::make(QStringLiteral("config.file.value"),
                               ProfileFile::tr("\"%1\" in the profile file %2 has the unusable value \"%3\"")
                                   .arg(field, source, failure.value),
                               failure.why, ProfileFile::tr("Fix \"%1\" in the file").arg(field));
    }
    return {};
}

// Sets `key` in the object at `sections` below `object` (creating the objects on the way).
void insertAt(QJsonObject &object, const QStringList &sections, const QString &key, const QJsonValue &value)
{
    if (sections.isEmpty()) {
        object.insert(key, value);
        return;
    }
    QJsonObject child = object.value(sections.first()).toObject();
    insertAt(child, sections.mid(1), key, value);
    object.insert(sections.first(), child);
}

// The object a field is in, each level checked ("cognito", then "cognito.endpoints"); `prefix` gets
// its path ("cognito.endpoints.").
QJsonObject sectionOf(JsonFieldReader &read, const QJsonObject &root, const QStringList &sections,
                      QString *prefix)
{
    QJsonObject object = root;
    for (const QString &section : sections) {
        object = read.object(object, *prefix, section);
        *prefix += section + QLatin1Char('.');
    }
    return object;
}

void readValue(JsonFieldReader &read, const QJsonObject &root, const ProfileValueField &field,
               Profile &profile)
{
    QString prefix;
    const QJsonObject object = sectionOf(read, root, field.sections(), &prefix);
    switch (field.kind) {
    case ProfileValueField::Kind::Choice:
        field.set(profile, read.choice(object, prefix, field.key(), field.choices, field.fallback));
        break;
    case ProfileValueField::Kind::Number:
        field.set(profile, read.optionalInt(object, prefix, field.key()));
        break;
    case ProfileValueField::Kind::Flag:
        // Lenient: a flag of another type keeps its default.
        if (object.value(field.key()).isBool())
            field.set(profile, object.value(field.key()).toBool() ? 1 : 0);
        break;
    }
}

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

    JsonFieldReader read;
    Profile profile;
    const QString top;

    const QJsonValue auth0Value = root.value(QStringLiteral("auth0"));
    if (auth0Value.isUndefined() || auth0Value.isNull())
        read.missing(QStringLiteral("auth0"));
    read.object(root, top, QStringLiteral("auth0"));
    for (const ProfileTextField &field : ProfileFields::text()) {
        QString prefix;
        const QJsonObject object = sectionOf(read, root, field.sections(), &prefix);
        QString value = field.required ? read.requiredString(object, prefix, field.key())
                                        : read.string(object, prefix, field.key(), field.fallback);
        field.set(profile, field.trimmed ? value.trimmed() : value);
    }
    for (const ProfileValueField &field : ProfileFields::values())
        readValue(read, root, field, profile);

    const QString caFile = read.string(root, top, QStringLiteral("ca_file")).trimmed();
    if (!caFile.isEmpty()) {
        profile.caFile = QDir::isRelativePath(caFile) && !baseDir.isEmpty()
                             ? QDir::cleanPath(QDir(baseDir).absoluteFilePath(caFile))
                             : caFile;
    }

    profile.name = read.string(root, top, QStringLiteral("name")).trimmed();
    if (profile.name.isEmpty())
        profile.name = Auth0Settings::normalizedDomain(profile.auth0.domain);
    profile.id = read.string(root, top, QStringLiteral("id")).trimmed();
    if (profile.id.isEmpty())
        profile.id = Profile::slugFor(profile.name);
    else if (!Profile::isValidId(profile.id))
        read.badValue(QStringLiteral("id"), profile.id,
                      tr("Profile ids are lower-case letters, digits and dashes, e.g. \"work-eu\""));

    if (read.failed()) {
        setError(error, fileError(read.failure(), source));
        return std::nullopt;
    }
    return profile;
}

QByteArray ProfileFile::toJson(const Profile &profile)
{
    QJsonObject root{
        {versionKey, FormatVersion},
        {QStringLiteral("name"), profile.name},
    };
    if (!profile.id.isEmpty())
        root.insert(QStringLiteral("id"), profile.id);
    // The cognito section only when the profile has an AWS side.
    const bool cognitoSection = !profile.cognito.isEmpty();
    const auto skipped = [cognitoSection](const QString &path) {
        return path.startsWith(QLatin1String("cognito.")) && !cognitoSection;
    };
    for (const ProfileTextField &field : ProfileFields::text()) {
        const QString value = field.get(profile);
        if (skipped(field.path))
            continue;
        if (field.written == ProfileTextField::Written::WhenSet && value.isEmpty())
            continue;
        insertAt(root, field.sections(), field.key(), value);
    }
    for (const ProfileValueField &field : ProfileFields::values()) {
        const std::optional<int> value = field.get(profile);
        if (skipped(field.path) || !value)
            continue;
        if (field.written == ProfileValueField::Written::WhenSet && !field.isSet(value))
            continue;
        insertAt(root, field.sections(), field.key(), QJsonValue::fromVariant(field.stored(*value)));
    }
    if (!profile.caFile.isEmpty())
        root.insert(QStringLiteral("ca_file"), profile.caFile);
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
