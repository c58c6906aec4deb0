// Writes compact JSON (UTF-8) straight into bytes, for the large request bodies built on every push (the
// DynamoDB store's TransactWriteItems of 99 items, Cognito Sync's UpdateRecords of up to 1,024 patches):
// through QJsonObject, each nested object and text was copied into its parent and the whole tree
// serialized again (20M instructions per DynamoDB body, 36M per 1,024-patch UpdateRecords). The caller
// writes names and values in order; commas and escapes are this class's job.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringView>

namespace fedsync {

class JsonWriter final
{
public:
    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    // A member's name (inside an object; its value comes next).
    void name(QStringView name);
    void string(QStringView text);
    void number(qint64 value);
    // `units` / 10^`decimals` as an exact decimal number, trailing zeros dropped: 1700000000250 with 3
    // decimals is 1700000000.25 (epoch seconds from milliseconds, as AWS's JSON dates are written).
    void fixedPoint(qint64 units, int decimals);
    void boolean(bool value);
    // A value already written as JSON (e.g. by QJsonDocument).
    void raw(QByteArrayView json);

    const QByteArray &bytes() const { return m_out; }

private:
    void open(char bracket);
    void close(char bracket);
    void beforeValue();
    void appendString(QStringView text);

    QByteArray m_out;
    QList<bool> m_started; // per open object or list: whether it holds an entry yet
    bool m_afterName = false;
};

} // namespace fedsync
