#include "config/profilestore.h"

#include "config/profilefields.h"
#include "log/logcategories.h"

#include <QDir>
#include <QSettings>

#include <algorithm>

namespace fedsync {

namespace {

const QString profilesGroup = QStringLiteral("profiles");
const QString currentKey = QStringLiteral("currentProfile");

QString groupFor(const QString &id)
{
    return profilesGroup + QLatin1Char('/') + id;
}

void writeIfSet(QSettings &settings, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        settings.setValue(key, value);
}

// Lenient, as settings written by hand or by another version may be: an unknown word is the fallback.
std::optional<int> readValue(const QSettings &settings, const ProfileValueField &field)
{
    const QVariant stored = settings.value(field.settingsKey());
    switch (field.kind) {
    case ProfileValueField::Kind::Choice: {
        const qsizetype index = field.choices.indexOf(stored.toString());
        return index < 0 ? field.fallback : int(index);
    }
    case ProfileValueField::Kind::Number: {
        bool ok = false;
        const int number = stored.toInt(&ok);
        return ok ? std::optional<int>(number) : std::nullopt;
    }
    case ProfileValueField::Kind::Flag:
        return settings.value(field.settingsKey(), field.fallback != 0).toBool() ? 1 : 0;
    }
    return std::nullopt;
}


} // namespace

ProfileStore::ProfileStore(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>())
{}

ProfileStore::ProfileStore(const QString &settingsFile, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(settingsFile, QSettings::IniFormat))
{}

ProfileStore::~ProfileStore() = default;

QStringList ProfileStore::profileIds() const
{
    m_settings->beginGroup(profilesGroup);
    QStringList ids = m_settings->childGroups();
    m_settings->endGroup();
    ids.erase(
        std::remove_if(ids.begin(), ids.end(), [](const QString &id) { return !Profile::isValidId(id); }),
        ids.end());
    ids.sort();
    return ids;
}

QList<Profile> ProfileStore::profiles() const
{
    QList<Profile> result;
    const QStringList ids = profileIds();
    for (const QString &id : ids) {
        if (std::optional<Profile> p = profile(id))
            result.append(std::move(*p));
    }
    std::stable_sort(result.begin(), result.end(), [](const Profile &left, const Profile &right) {
        const int byName = left.name.compare(right.name, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : left.id < right.id;
    });
    return result;
}

bool ProfileStore::contains(const QString &id) const
{
    return Profile::isValidId(id) && profileIds().contains(id);
}

std::optional<Profile> ProfileStore::profile(const QString &id) const
{
    if (!contains(id))
        return std::nullopt;
    QSettings &s = *m_settings;
    s.beginGroup(groupFor(id));
    Profile p;
    p.id = id;
    p.name = s.value(QStringLiteral("name")).toString();
    for (const ProfileTextField &field : ProfileFields::text())
        field.set(p, s.value(field.settingsKey(), field.fallback).toString());
    for (const ProfileValueField &field : ProfileFields::values())
        field.set(p, readValue(s, field));
    p.caFile = s.value(QStringLiteral("ca_file")).toString();
    s.endGroup();
    return p;
}

QString ProfileStore::uniqueIdFor(const QString &name) const
{
    const QString base = Profile::slugFor(name);
    const QStringList taken = profileIds();
    QString id = base;
    for (int n = 2; taken.contains(id); ++n)
        id = base + QLatin1Char('-') + QString::number(n);
    return id;
}

UserError ProfileStore::save(Profile &p)
{
    if (p.id.isEmpty())
        p.id = uniqueIdFor(p.name);
    if (!Profile::isValidId(p.id)) {
        return UserError::make(QStringLiteral("config.store.id"),
                               tr("The profile id \"%1\" is not valid").arg(p.id),
                               tr("Profile ids are lower-case letters, digits and dashes"),
                               tr("Leave the id empty to have one made from the name"));
    }
    QSettings &s = *m_settings;
    s.remove(groupFor(p.id)); // no stale keys from an earlier version of the profile
    s.beginGroup(groupFor(p.id));
    s.setValue(QStringLiteral("name"), p.name);
    for (const ProfileTextField &field : ProfileFields::text()) {
        if (field.written == ProfileTextField::Written::Always)
            s.setValue(field.settingsKey(), field.get(p));
        else
            writeIfSet(s, field.settingsKey(), field.get(p));
    }
    for (const ProfileValueField &field : ProfileFields::values()) {
        // Unlike the file, the settings keep every section: Always and InSection are both written.
        const std::optional<int> value = field.get(p);
        if (value && (field.written != ProfileValueField::Written::WhenSet || field.isSet(value)))
            s.setValue(field.settingsKey(), field.stored(*value));
    }
    writeIfSet(s, QStringLiteral("ca_file"), p.caFile);
    s.endGroup();

    const UserError error = syncSettings();
    if (error.isError())
        return error;
    qCDebug(lcConfig) << "saved profile" << p.id;
    Q_EMIT profilesChanged();
    return {};
}

bool ProfileStore::remove(const QString &id)
{
    if (!contains(id))
        return false;
    const bool wasCurrent = m_settings->value(currentKey).toString() == id;
    m_settings->remove(groupFor(id));
    if (wasCurrent)
        m_settings->remove(currentKey);
    syncSettings();
    qCDebug(lcConfig) << "removed profile" << id;
    Q_EMIT profileRemoved(id);
    Q_EMIT profilesChanged();
    if (wasCurrent)
        Q_EMIT currentProfileIdChanged(QString());
    return true;
}

QString ProfileStore::currentProfileId() const
{
    const QString id = m_settings->value(currentKey).toString();
    return contains(id) ? id : QString();
}

bool ProfileStore::setCurrentProfileId(const QString &id)
{
    if (!id.isEmpty() && !contains(id))
        return false;
    if (m_settings->value(currentKey).toString() == id)
        return true;
    if (id.isEmpty())
        m_settings->remove(currentKey);
    else
        m_settings->setValue(currentKey, id);
    syncSettings();
    Q_EMIT currentProfileIdChanged(id);
    return true;
}

UserError ProfileStore::syncSettings()
{
    m_settings->sync();
    if (m_settings->status() == QSettings::NoError)
        return {};
    const QString file = QDir::toNativeSeparators(m_settings->fileName());
    qCWarning(lcConfig) << "settings not written:" << m_settings->status();
    return UserError::make(
        QStringLiteral("config.store.write"), tr("Fedsync could not save its settings"),
        tr("The settings file %1 could not be written").arg(file),
        tr("Check that the file and its folder are writable, and that the disk is not full"));
}

} // namespace fedsync
