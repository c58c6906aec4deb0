// The profile's text settings mapped in one place: each one's key path (the profile file's JSON path,
// the validator's field name, and with '/' for '.' the settings key), where it lives in a Profile, its
// value when absent, and when it is written. The profile file, the settings store and the editor dialog
// read and write these through this table. The few settings that are not text (auth0.max_age,
// auth0.browser, cognito.flow, store, identity_card) and the profile's name, id and CA file, which have
// rules of their own (defaults made from other fields, paths relative to the file), are mapped beside it.
#pragma once

#include "config/profile.h"

#include <QList>
#include <QString>

namespace fedsync {

struct ProfileTextField
{
    enum class Written {
        Always,    // even when empty
        InSection, // the profile file writes it whenever it writes its section; the settings when set
        WhenSet,   // only when not empty
    };

    QString path;                       // "auth0.domain", "cognito.endpoints.sts", "dynamodb.table"
    QString (*get)(const Profile &);
    void (*set)(Profile &, const QString &);
    QString fallback;                   // the value when the setting is absent
    Written written = Written::WhenSet;
    bool trimmed = false;               // the profile file trims it when reading
    bool required = false;              // the profile file must have it

    // "auth0/domain": the key in the settings.
    QString settingsKey() const;
    // The JSON object names above the key ("cognito", "endpoints") and the key ("sts").
    QStringList sections() const;
    QString key() const;
};

class ProfileFields final
{
public:
    // Every text setting, in the profile file's order.
    static const QList<ProfileTextField> &text();
    // The field with this path, or null.
    static const ProfileTextField *find(const QString &path);
};

} // namespace fedsync
