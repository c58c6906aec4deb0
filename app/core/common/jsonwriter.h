// Writes compact JSON (UTF-8) straight into bytes, for the one large request body built on every push
// to the DynamoDB store (99 items per TransactWriteItems): through QJsonObject, each nested object and
// text was copied into its parent and the whole tree serialized again, 20M instructions per body. The
// caller writes names and values in order; commas and escapes are this class's job.
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
