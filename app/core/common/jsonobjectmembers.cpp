#include "common/jsonobjectmembers.h"

#include "common/jsonscanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>
#include <cmath>

namespace fedsync {

JsonMember::JsonMember(QString text)
    : m_type(QJsonValue::String)
    , m_text(std::move(text))
{}

JsonMember::JsonMember(bool value)
    : m_type(QJsonValue::Bool)
    , m_boolean(value)
{}

JsonMember::JsonMember(double number)
    : m_type(QJsonValue::Double)
    , m_number(number)
{}

JsonMember::JsonMember(qint64 whole)
    : m_type(QJsonValue::Double)
    , m_whole(true)
    , m_integer(whole)
    , m_number(double(whole))
{}

JsonMember::JsonMember(QJsonArray list)
    : m_type(QJsonValue::Array)
    , m_list(std::move(list))
{}

JsonMember::JsonMember(QJsonObject object)
    : m_type(QJsonValue::Object)
    , m_object(std::move(object))
{}

JsonMember JsonMember::null()
{
    JsonMember member;
    member.m_type = QJsonValue::Null;
    return member;
}

JsonMember JsonMember::fromJsonValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return null();
    case QJsonValue::Bool:
        return JsonMember(value.toBool());
    case QJsonValue::Double: {
        // QJsonValue keeps a whole number that fits in 64 bits exactly, beyond a double's 53 bits.
        const double number = value.toDouble();
        const qint64 whole = value.toInteger();
        return double(whole) == number ? JsonMember(whole) : JsonMember(number);
    }
    case QJsonValue::String:
        return JsonMember(value.toString());
    case QJsonValue::Array:
        return JsonMember(value.toArray());
    case QJsonValue::Object:
        return JsonMember(value.toObject());
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

double JsonMember::toDouble() const
{
    return isDouble() ? m_number : 0;
}

qint64 JsonMember::toInteger() const
{
    if (!isDouble())
        return 0;
    if (m_whole)
        return m_integer;
    // As QJsonValue: a double that is a whole number within 64 bits.
    constexpr double limit = 9223372036854775808.0; // 2^63
    return std::trunc(m_number) == m_number && m_number >= -limit && m_number < limit ? qint64(m_number) : 0;
}

QJsonValue JsonMember::toJsonValue() const
{
    switch (m_type) {
    case QJsonValue::Null:
        return QJsonValue(QJsonValue::Null);
    case QJsonValue::Bool:
        return m_boolean;
    case QJsonValue::Double:
        return m_whole ? QJsonValue(m_integer) : QJsonValue(m_number);
    case QJsonValue::String:
        return m_text;
    case QJsonValue::Array:
        return m_list;
    case QJsonValue::Object:
        return m_object;
    default:
        return QJsonValue(QJsonValue::Undefined);
    }
}

namespace {

// A number as QJsonDocument stores it: a whole number that fits in 64 bits as an integer, anything else
// as a double. std::nullopt when it is neither (JsonScanner has already refused what QJsonDocument does).
std::optional<JsonMember> numberOf(QByteArrayView text)
{
    const char *const begin = text.data();
    const char *const end = begin + text.size();
    if (!text.contains('.') && !text.contains('e') && !text.contains('E')) {
        qint64 whole = 0;
        const auto [at, error] = std::from_chars(begin, end, whole);
        if (error == std::errc() && at == end)
            return JsonMember(whole);
    }
    double value = 0;
    const auto [at, error] = std::from_chars(begin, end, value);
    if (error != std::errc() || at != end)
        return std::nullopt;
    return JsonMember(value);
}

// A string, number, true, false or null; std::nullopt for anything else (a list or an object).
std::optional<JsonMember> scalarOf(JsonScanner &json)
{
    switch (json.peek()) {
    case '"': {
        std::optional<QString> text = json.string();
        if (!text)
            return std::nullopt;
        return JsonMember(std::move(*text));
    }
    case 't':
    case 'f': {
        const std::optional<bool> value = json.boolean();
        if (!value)
            return std::nullopt;
        return JsonMember(*value);
    }
    case 'n':
        if (!json.takeNull())
            return std::nullopt;
        return JsonMember::null();
    case '[':
    case '{':
    case 0:
        return std::nullopt;
    default: {
        const std::optional<QByteArrayView> text = json.numberText();
        if (!text)
            return std::nullopt;
        return numberOf(*text);
    }
    }
}

// A scalar, or a list of scalars (an "aud" of several audiences).
std::optional<JsonMember> valueOf(JsonScanner &json)
{
    if (json.peek() != '[')
        return scalarOf(json);
    QJsonArray list;
    const bool read = json.elements([&] {
        std::optional<JsonMember> element = scalarOf(json);
        if (!element)
            return false;
        list.append(element->toJsonValue());
        return true;
    });
    if (!read)
        return std::nullopt;
    return JsonMember(std::move(list));
}

std::optional<QList<JsonMember>> fastRead(QByteArrayView json, std::initializer_list<QLatin1String> names)
{
    QList<JsonMember> values(qsizetype(names.size()));
    JsonScanner scanner(json);
    const bool read = scanner.members([&](QByteArrayView name) {
        qsizetype index = 0;
        for (const QLatin1String wanted : names) {
            if (name == QByteArrayView(wanted.data(), wanted.size()))
                break;
            ++index;
        }
        if (index == qsizetype(names.size()))
            return scanner.skipValue();
        std::optional<JsonMember> value = valueOf(scanner);
        if (!value)
            return false;
        values[index] = std::move(*value); // a name read again replaces its value: the last one counts
        return true;
    });
    if (!read || !scanner.atEnd())
        return std::nullopt;
    return values;
}

} // namespace

std::optional<QList<JsonMember>> JsonObjectMembers::read(QByteArrayView json,
                                                         std::initializer_list<QLatin1String> names,
                                                         QJsonParseError *error)
{
    if (error)
        *error = QJsonParseError{};
    if (std::optional<QList<JsonMember>> values = fastRead(json, names))
        return values;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (error)
        *error = parseError;
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    QList<JsonMember> values;
    values.reserve(qsizetype(names.size()));
    for (const QLatin1String name : names)
        values.append(JsonMember::fromJsonValue(object.value(name)));
    return values;
}

} // namespace fedsync
