// Reads typed fields out of JSON objects defensively, for every parser of JSON that comes from outside:
// the profile file and the AWS services' replies. Absent or null fields give a default; a field of the
// wrong type or an unusable value is a problem. The first problem is kept (later reads still return
// defaults), named by its path ("auth0.client_id", "Records[3].SyncCount"), so the caller can say
// precisely what is wrong, in its own words (problemText() gives a short technical sentence).
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace fedsync {

class JsonFieldReader final
{
    Q_DECLARE_TR_FUNCTIONS(JsonFieldReader)

public:
    enum class Problem {
        None,
        Missing,   // a required field is absent or null
        WrongType, // present with another JSON type (or out of the type's range)
        BadValue,  // the right type, an unusable value (see `why`)
    };
    // What a field was expected to hold.
    enum class Kind { Text, WholeNumber, Count, Boolean, Object, List, Timestamp };

    struct Failure
    {
        Problem problem = Problem::None;
        QString field;   // its path: prefix + key
        Kind expected = Kind::Text;
        QString value;   // BadValue: the value read
        QString why;     // BadValue: why it cannot be used
    };

    bool ok() const { return m_failure.problem == Problem::None; }
    bool failed() const { return !ok(); }
    const Failure &failure() const { return m_failure; }
    // "Records[0].Key is missing", "auth0.max_age is not a whole number", "id: <why>"; empty when ok.
    QString problemText() const;

    // Record a problem found by the caller (only the first one counts).
    void missing(const QString &field);
    void wrongType(const QString &field, Kind expected);
    void badValue(const QString &field, const QString &value, const QString &why);
    // A problem the caller found, in its own words (problemText() is `text`).
    void invalid(const QString &text) { badValue({}, {}, text); }

    // Absent or null -> `fallback`; not a string -> WrongType.
    QString string(const QJsonObject &object, const QString &prefix, const QString &key,
                   const QString &fallback = {});
    // Absent or null -> Missing; not a string -> WrongType.
    QString requiredString(const QJsonObject &object, const QString &prefix, const QString &key);
    // Absent or null -> nothing; not a string -> WrongType.
    std::optional<QString> optionalString(const QJsonObject &object, const QString &prefix,
                                          const QString &key);
    // A whole number within int's range; absent or null -> nothing.
    std::optional<int> optionalInt(const QJsonObject &object, const QString &prefix, const QString &key);
    // A whole number from 0 to 9e15 (a size, a count, a sync count); absent or null -> 0 (Missing when
    // `required`).
    qint64 count(const QJsonObject &object, const QString &prefix, const QString &key, bool required = false);
    // Absent or null -> false.
    bool boolean(const QJsonObject &object, const QString &prefix, const QString &key);
    // Seconds since the epoch (fractions allowed) as a UTC time; absent or null -> invalid.
    QDateTime epochSeconds(const QJsonObject &object, const QString &prefix, const QString &key);
    // Absent or null -> empty; another type -> WrongType.
    QJsonObject object(const QJsonObject &parent, const QString &prefix, const QString &key);
    QJsonArray array(const QJsonObject &parent, const QString &prefix, const QString &key);
    // An element that must be an object (a list's item), named `field`.
    QJsonObject objectAt(const QJsonValue &value, const QString &field);
    // One of `names` (compared trimmed and lower-case), its index; absent or empty -> `fallback`;
    // another text -> BadValue.
    int choice(const QJsonObject &object, const QString &prefix, const QString &key, const QStringList &names,
               int fallback);

    // "a string", "a whole number", ... as problemText() says it.
    static QString kindName(Kind kind);

private:
    void fail(Failure failure);

    Failure m_failure;
};

} // namespace fedsync
