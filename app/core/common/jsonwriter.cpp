#include "common/jsonwriter.h"

namespace fedsync {

void JsonWriter::beforeValue()
{
    if (m_afterName) { // a member's value: its name wrote the comma
        m_afterName = false;
        return;
    }
    if (!m_started.isEmpty()) {
        if (m_started.last())
            m_out += ',';
        m_started.last() = true;
    }
}

void JsonWriter::open(char bracket)
{
    beforeValue();
    m_out += bracket;
    m_started.append(false);
}

void JsonWriter::close(char bracket)
{
    m_started.removeLast();
    m_out += bracket;
}

void JsonWriter::name(QStringView name)
{
    beforeValue();
    appendString(name);
    m_out += ':';
    m_afterName = true;
}

void JsonWriter::string(QStringView text)
{
    beforeValue();
    appendString(text);
}

void JsonWriter::number(qint64 value)
{
    beforeValue();
    m_out += QByteArray::number(value);
}

void JsonWriter::fixedPoint(qint64 units, int decimals)
{
    Q_ASSERT(decimals >= 0 && decimals <= 18);
    beforeValue();
    qint64 scale = 1;
    for (int i = 0; i < decimals; ++i)
        scale *= 10;
    // The magnitude as unsigned, so the lowest qint64 has one too.
    const quint64 magnitude = units < 0 ? 0 - quint64(units) : quint64(units);
    if (units < 0)
        m_out += '-';
    m_out += QByteArray::number(magnitude / quint64(scale));
    quint64 fraction = magnitude % quint64(scale);
    if (fraction == 0)
        return;
    int digits = decimals;
    while (fraction % 10 == 0) {
        fraction /= 10;
        --digits;
    }
    m_out += '.';
    const QByteArray text = QByteArray::number(fraction);
    m_out += QByteArray(digits - text.size(), '0');
    m_out += text;
}

void JsonWriter::boolean(bool value)
{
    beforeValue();
    m_out += value ? "true" : "false";
}

void JsonWriter::raw(QByteArrayView json)
{
    beforeValue();
    m_out += json;
}

void JsonWriter::appendString(QStringView text)
{
    // The usual text (printable ASCII, nothing to escape) copied in one pass.
    const qsizetype start = m_out.size();
    m_out.resize(start + text.size() + 2);
    char *out = m_out.data() + start;
    *out++ = '"';
    bool plain = true;
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        if (unit < 0x20 || unit >= 0x80 || unit == u'"' || unit == u'\\') {
            plain = false;
            break;
        }
        *out++ = char(unit);
    }
    if (plain) {
        *out = '"';
        return;
    }
    m_out.truncate(start);
    static const char hex[] = "0123456789abcdef";
    m_out += '"';
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '"' || byte == '\\') {
            m_out += '\\';
            m_out += c;
        } else if (byte < 0x20) {
            m_out += "\\u00";
            m_out += hex[byte >> 4];
            m_out += hex[byte & 0xF];
        } else {
            m_out += c;
        }
    }
    m_out += '"';
}

} // namespace fedsync
