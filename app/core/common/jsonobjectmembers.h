// The members of a JSON object text that a reader asks for by name, each as QJsonDocument would give it
// (Undefined when absent; the last one when a name appears twice), without building the document: for a
// small object read often, where QJsonDocument's document was most of the cost (an ID token's header and
// payload, at every validation). The text is judged as QJsonDocument judges it: when the fast reading
// meets anything it does not take (a name with escapes, an object as a value it asks for, a text that is
// not JSON), QJsonDocument reads the text and decides.
#pragma once

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLatin1String>
#include <QList>
#include <QString>

#include <initializer_list>
#include <optional>

namespace fedsync {

// One member's value. Its accessors answer as QJsonValue's do; a string is kept as the QString it is
// read into (a QJsonValue would copy it into a container of its own, and out again for toString()).
class JsonMember final
{
public:
    JsonMember() = default; // Undefined
    static JsonMember fromJsonValue(const QJsonValue &value);
    static JsonMember null();
    explicit JsonMember(QString text);
    explicit JsonMember(bool value);
    explicit JsonMember(double number);
    explicit JsonMember(qint64 whole);
    explicit JsonMember(QJsonArray list);
    explicit JsonMember(QJsonObject object);

    QJsonValue::Type type() const { return m_type; }
    bool isUndefined() const { return m_type == QJsonValue::Undefined; }
    bool isNull() const { return m_type == QJsonValue::Null; }
    bool isString() const { return m_type == QJsonValue::String; }
    bool isDouble() const { return m_type == QJsonValue::Double; }
    bool isBool() const { return m_type == QJsonValue::Bool; }
    bool isArray() const { return m_type == QJsonValue::Array; }
    bool isObject() const { return m_type == QJsonValue::Object; }
    // Empty, 0, false or an empty list when the value is of another type.
    QString toString() const { return isString() ? m_text : QString(); }
    double toDouble() const;
    qint64 toInteger() const;
    bool toBool() const { return isBool() && m_boolean; }
    QJsonArray toArray() const { return isArray() ? m_list : QJsonArray(); }
    QJsonObject toObject() const { return isObject() ? m_object : QJsonObject(); }
    QJsonValue toJsonValue() const;

private:
    QJsonValue::Type m_type = QJsonValue::Undefined;
    bool m_boolean = false;
    bool m_whole = false; // a number QJsonDocument keeps as a 64-bit integer
    qint64 m_integer = 0;
    double m_number = 0;
    QString m_text;
    QJsonArray m_list;
    QJsonObject m_object;
};

class JsonObjectMembers final
{
public:
    // The values of `names`, in their order; std::nullopt when `json` is not a JSON object, with *error
    // (when given) saying why as QJsonDocument says it (error->error is NoError when the text is JSON but
    // not an object).
    static std::optional<QList<JsonMember>>
    read(QByteArrayView json, std::initializer_list<QLatin1String> names, QJsonParseError *error = nullptr);
};

} // namespace fedsync
