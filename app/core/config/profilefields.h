// The profile's settings mapped in one place: each one's key path (the profile file's JSON path, the
// validator's field name, and with '/' for '.' the settings key), where it lives in a Profile, its value
// when absent, and when it is written. Two tables: the text settings, and the others (choices, numbers,
// flags). The profile file, the settings store and the editor dialog read and write both through them, so
// a new setting is one row. Only the profile's name, id and CA file, which have rules of their own
// (defaults made from other fields, paths relative to the file), are mapped beside them.
#pragma once

#include "config/profile.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

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

// A setting that is not text, as a whole number: a choice (the index of its enum value, written as one
// of `choices`), a whole number that may be absent, or a flag (0 or 1, written as a JSON boolean).
struct ProfileValueField
{
    enum class Kind {
        Choice, // the file: one of `choices` (another word is an error); the settings: the word (another
                // word reads as the fallback); the editor: a combo box, item i = choice i
        Number, // the file: a whole number; the settings: a number; the editor: a spin box, 0 = not set
        Flag,   // the file: true or false (another type is ignored); the settings: a bool; the editor: a
                // check box (a flag the dialog does not show is kept as it was)
    };
    using Written = ProfileTextField::Written;

    QString path; // "auth0.browser", "auth0.max_age", "store", "identity_card"
    Kind kind = Kind::Choice;
    std::optional<int> (*get)(const Profile &) = nullptr; // nothing: a number not set
    void (*set)(Profile &, std::optional<int>) = nullptr;
    QStringList choices; // Choice: the words, in the enum's order
    int fallback = 0;    // Choice and Flag: the value when the setting is absent
    // Always: always; InSection: the profile file writes it whenever it writes its section, the settings
    // always; WhenSet: only when it is not the fallback (a number: when it has one).
    Written written = Written::WhenSet;

    QString settingsKey() const;
    QStringList sections() const;
    QString key() const;
    // Whether a value is worth writing under WhenSet.
    bool isSet(std::optional<int> value) const;
    // How the file and the settings hold `value`: the choice's word, the number, the flag as a bool.
    QVariant stored(int value) const;
};

class ProfileFields final
{
public:
    // Every text setting, in the profile file's order.
    static const QList<ProfileTextField> &text();
    // The field with this path, or null.
    static const ProfileTextField *find(const QString &path);
    // Every other setting (choices, numbers, flags), in the profile file's order.
    static const QList<ProfileValueField> &values();
    static const ProfileValueField *findValue(const QString &path);
};

} // namespace fedsync
