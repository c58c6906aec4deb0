#include "common/jsonfieldreader.h"

#include <cmath>
#include <limits>

namespace fedsync {

namespace {

bool absent(const QJsonValue &value)
{
    return value.isUndefined() || value.isNull();
}

} // namespace

QString JsonFieldReader::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Text:
        return QStringLiteral("a string");
    case Kind::WholeNumber:
        return QStringLiteral("a whole number");
    case Kind::Count:
        return QStringLiteral("a count");
    case Kind::Boolean:
        return QStringLiteral("a boolean");
    case Kind::Object:
        return QStringLiteral("an object");
    case Kind::List:
        return QStringLiteral("a list");
    case Kind::Timestamp:
        return QStringLiteral("a timestamp");
    }
    return {};
}

QString JsonFieldReader::problemText() const
{
    switch (m_failure.problem) {
    case Problem::None:
        return {};
    case Problem::Missing:
        return QStringLiteral("%1 is missing").arg(m_failure.field);
    case Problem::WrongType:
        return QStringLiteral("%1 is not %2").arg(m_failure.field, kindName(m_failure.expected));
    case Problem::BadValue:
        return m_failure.field.isEmpty() ? m_failure.why
                                         : QStringLiteral("%1: %2").arg(m_failure.field, m_failure.why);
    }
    return {};
}

void JsonFieldReader::fail(Failure failure)
{
    if (ok())
        m_failure = std::move(failure);
}

void JsonFieldReader::missing(const QString &field)
{
    fail({Problem::Missing, field, Kind::Text, {}, {}});
}

void JsonFieldReader::wrongType(const QString &field, Kind expected)
{
    fail({Problem::WrongType, field, expected, {}, {}});
}

void JsonFieldReader::badValue(const QString &field, const QString &value, const QString &why)
{
    fail({Problem::BadValue, field, Kind::Text, value, why});
}

QString JsonFieldReader::string(const QJsonObject &object, const QString &prefix, const QString &key,
                                const QString &fallback)
{
    const QJsonValue value = object.value(key);
    if (absent(value))
        return fallback;
    if (!value.isString()) {
        wrongType(prefix + key, Kind::Text);
        return fallback;
    }
    return value.toString();
}

QString JsonFieldReader::requiredString(const QJsonObject &object, const QString &prefix, const QString &key)
{
    if (absent(object.value(key))) {
        missing(prefix + key);
        return {};
    }
    return string(object, prefix, key);
}

std::optional<QString> JsonFieldReader::optionalString(const QJsonObject &object, const QString &prefix,
                                                       const QString &key)
{
    const QJsonValue value = object.value(key);
    if (absent(value))
        return std::nullopt;
    if (!value.isString()) {
        wrongType(prefix + key, Kind::Text);
        return std::nullopt;
    }
    return value.toString();
}

std::optional<int> JsonFieldReader::optionalInt(const QJsonObject &object, const QString &prefix,
                                                const QString &key)
{
    const QJsonValue value = object.value(key);
    if (absent(value))
        return std::nullopt;
    const double number = value.toDouble(std::numeric_limits<double>::quiet_NaN());
    if (!value.isDouble() || std::trunc(number) != number || number < std::numeric_limits<int>::min() ||
        number > std::numeric_limits<int>::max()) {
        wrongType(prefix + key, Kind::WholeNumber);
        return std::nullopt;
    }
    return static_cast<int>(number);
}

qint64 JsonFieldReader::count(const QJsonObject &object, const QString &prefix, const QString &key,
                              bool required)
{
    const QJsonValue value = object.value(key);
    if (absent(value)) {
        if (required)
            missing(prefix + key);
        return 0;
    }
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > 9.0e15 || std::floor(number) != number) {
        wrongType(prefix + key, Kind::Count);
        return 0;
    }
    return qint64(number);
}

bool JsonFieldReader::boolean(const QJsonObject &object, const QString &prefix, const QString &key)
{
    const QJsonValue value = object.value(key);
    if (value.isBool())
        return value.toBool();
    if (!absent(value))
        wrongType(prefix + key, Kind::Boolean);
    return false;
}

QDateTime JsonFieldReader::epochSeconds(const QJsonObject &object, const QString &prefix, const QString &key)
{
    const QJsonValue value = object.value(key);
    if (absent(value))
        return {};
    const double seconds = value.toDouble(-1);
    if (!value.isDouble() || !std::isfinite(seconds) || seconds < 0 || seconds > 1.0e11) {
        wrongType(prefix + key, Kind::Timestamp);
        return {};
    }
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000.0)), Qt::UTC);
}

QJsonObject JsonFieldReader::object(const QJsonObject &parent, const QString &prefix, const QString &key)
{
    const QJsonValue value = parent.value(key);
    if (absent(value))
        return {};
    if (!value.isObject()) {
        wrongType(prefix + key, Kind::Object);
        return {};
    }
    return value.toObject();
}

QJsonArray JsonFieldReader::array(const QJsonObject &parent, const QString &prefix, const QString &key)
{
    const QJsonValue value = parent.value(key);
    if (absent(value))
        return {};
    if (!value.isArray()) {
        wrongType(prefix + key, Kind::List);
        return {};
    }
    return value.toArray();
}

QJsonObject JsonFieldReader::objectAt(const QJsonValue &value, const QString &field)
{
    if (value.isObject())
        return value.toObject();
    wrongType(field, Kind::Object);
    return {};
}

int JsonFieldReader::choice(const QJsonObject &object, const QString &prefix, const QString &key,
                            const QStringList &names, int fallback)
{
    const QString text = string(object, prefix, key);
    if (text.isEmpty())
        return fallback;
    const qsizetype index = names.indexOf(text.trimmed().toLower());
    if (index < 0) {
        badValue(prefix + key, text, tr("It must be one of: %1").arg(names.join(QStringLiteral(", "))));
        return fallback;
    }
    return int(index);
}

} // namespace fedsync
