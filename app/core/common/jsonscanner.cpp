#include "common/jsonscanner.h"

#include <QByteArray>
#include <QStringDecoder>

#include <charconv>

namespace fedsync {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(QByteArray &out, char32_t code)
{
    if (code < 0x80) {
        out += char(code);
    } else if (code < 0x800) {
        out += char(0xC0 | (code >> 6));
        out += char(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += char(0xE0 | (code >> 12));
        out += char(0x80 | ((code >> 6) & 0x3F));
        out += char(0x80 | (code & 0x3F));
    } else {
        out += char(0xF0 | (code >> 18));
        out += char(0x80 | ((code >> 12) & 0x3F));
        out += char(0x80 | ((code >> 6) & 0x3F));
        out += char(0x80 | (code & 0x3F));
    }
}

} // namespace

void JsonScanner::skipWhitespace()
{
    while (m_at < m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t'))
        ++m_at;
}

bool JsonScanner::expect(char c)
{
    if (m_failed)
        return false;
    skipWhitespace();
    if (m_at == m_end || *m_at != c)
        return fail();
    ++m_at;
    return true;
}

bool JsonScanner::take(char c)
{
    if (m_failed)
        return false;
    skipWhitespace();
    if (m_at == m_end || *m_at != c)
        return false;
    ++m_at;
    return true;
}

char JsonScanner::peek()
{
    if (m_failed)
        return 0;
    skipWhitespace();
    return m_at == m_end ? 0 : *m_at;
}

bool JsonScanner::atEnd()
{
    if (m_failed)
        return false;
    skipWhitespace();
    return m_at == m_end;
}

std::optional<QByteArrayView> JsonScanner::plainName()
{
    if (!expect('"'))
        return std::nullopt;
    const char *start = m_at;
    while (m_at < m_end && *m_at != '"') {
        const auto byte = static_cast<unsigned char>(*m_at);
        if (byte == '\\' || byte < 0x20 || byte >= 0x80) {
            fail(); // escapes and non-ASCII names are not the names this reader is asked about
            return std::nullopt;
        }
        ++m_at;
    }
    if (m_at == m_end) {
        fail();
        return std::nullopt;
    }
    const QByteArrayView name(start, m_at - start);
    ++m_at;
    return name;
}

std::optional<QString> JsonScanner::string()
{
    if (!expect('"'))
        return std::nullopt;
    const char *start = m_at;
    bool ascii = true;
    while (m_at < m_end && *m_at != '"' && *m_at != '\\') {
        const auto byte = static_cast<unsigned char>(*m_at);
        if (byte < 0x20) {
            fail();
            return std::nullopt;
        }
        ascii = ascii && byte < 0x80;
        ++m_at;
    }
    if (m_at == m_end) {
        fail();
        return std::nullopt;
    }
    if (*m_at == '"' && ascii) { // the usual case: nothing to unescape or decode
        const QString text = QString::fromLatin1(start, m_at - start);
        ++m_at;
        return text;
    }
    QByteArray utf8(start, m_at - start);
    while (m_at < m_end && *m_at != '"') {
        const auto byte = static_cast<unsigned char>(*m_at);
        if (byte < 0x20) {
            fail();
            return std::nullopt;
        }
        if (byte != '\\') {
            utf8 += char(byte);
            ++m_at;
            continue;
        }
        if (++m_at == m_end) {
            fail();
            return std::nullopt;
        }
        const char escaped = *m_at++;
        switch (escaped) {
        case '"':
            utf8 += '"';
            break;
        case '\\':
            utf8 += '\\';
            break;
        case '/':
            utf8 += '/';
            break;
        case 'b':
            utf8 += '\b';
            break;
        case 'f':
            utf8 += '\f';
            break;
        case 'n':
            utf8 += '\n';
            break;
        case 'r':
            utf8 += '\r';
            break;
        case 't':
            utf8 += '\t';
            break;
        case 'u': {
            const auto hex4 = [this]() -> int {
                if (m_end - m_at < 4)
                    return -1;
                int value = 0;
                for (int i = 0; i < 4; ++i) {
                    const int digit = hexValue(m_at[i]);
                    if (digit < 0)
                        return -1;
                    value = value * 16 + digit;
                }
                m_at += 4;
                return value;
            };
            const int unit = hex4();
            if (unit < 0) {
                fail();
                return std::nullopt;
            }
            char32_t code = char32_t(unit);
            if (unit >= 0xD800 && unit <= 0xDBFF) { // a pair's first half: the second must follow
                if (m_end - m_at < 2 || m_at[0] != '\\' || m_at[1] != 'u') {
                    fail();
                    return std::nullopt;
                }
                m_at += 2;
                const int low = hex4();
                if (low < 0xDC00 || low > 0xDFFF) {
                    fail();
                    return std::nullopt;
                }
                code = 0x10000 + ((char32_t(unit) - 0xD800) << 10) + (char32_t(low) - 0xDC00);
            } else if (unit >= 0xDC00 && unit <= 0xDFFF) { // a second half alone
                fail();
                return std::nullopt;
            }
            appendUtf8(utf8, code);
            break;
        }
        default:
            fail();
            return std::nullopt;
        }
    }
    if (m_at == m_end) {
        fail();
        return std::nullopt;
    }
    ++m_at;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(utf8);
    if (decoder.hasError()) {
        fail();
        return std::nullopt;
    }
    return text;
}

bool JsonScanner::skipString()
{
    if (!expect('"'))
        return false;
    const char *const start = m_at;
    while (m_at < m_end && *m_at != '"') {
        const auto byte = static_cast<unsigned char>(*m_at);
        if (byte < 0x20) // a control character: string() would fail too
            return fail();
        if (byte == '\\' || byte >= 0x80) { // an escape or UTF-8 to check: the whole reading
            m_at = start - 1;
            return string().has_value();
        }
        ++m_at;
    }
    if (m_at == m_end)
        return fail();
    ++m_at;
    return true;
}

std::optional<QByteArrayView> JsonScanner::numberText()
{
    if (m_failed)
        return std::nullopt;
    skipWhitespace();
    const char *start = m_at;
    const auto digits = [this] {
        const char *from = m_at;
        while (m_at < m_end && isDigit(*m_at))
            ++m_at;
        return m_at > from;
    };
    if (m_at < m_end && *m_at == '-')
        ++m_at;
    if (m_at < m_end && *m_at == '0')
        ++m_at; // no leading zeros: "01" ends at the 0, and what follows is not a delimiter
    else if (!digits()) {
        fail();
        return std::nullopt;
    }
    if (m_at < m_end && *m_at == '.') {
        ++m_at;
        if (!digits()) {
            fail();
            return std::nullopt;
        }
    }
    bool exponent = false;
    if (m_at < m_end && (*m_at == 'e' || *m_at == 'E')) {
        exponent = true;
        ++m_at;
        if (m_at < m_end && (*m_at == '+' || *m_at == '-'))
            ++m_at;
        if (!digits()) {
            fail();
            return std::nullopt;
        }
    }
    // QJsonDocument refuses a number beyond a double's range, too large (1e999) or too small (1e-999):
    // so does this reader. Without an exponent, 300 characters cannot leave the range.
    if (exponent || m_at - start > 300) {
        double value = 0;
        if (std::from_chars(start, m_at, value).ec != std::errc()) {
            fail();
            return std::nullopt;
        }
    }
    return QByteArrayView(start, m_at - start);
}

std::optional<bool> JsonScanner::boolean()
{
    if (m_failed)
        return std::nullopt;
    skipWhitespace();
    const QByteArrayView rest(m_at, m_end - m_at);
    if (rest.startsWith("true")) {
        m_at += 4;
        return true;
    }
    if (rest.startsWith("false")) {
        m_at += 5;
        return false;
    }
    fail();
    return std::nullopt;
}

bool JsonScanner::takeNull()
{
    if (m_failed)
        return false;
    skipWhitespace();
    if (!QByteArrayView(m_at, m_end - m_at).startsWith("null"))
        return false;
    m_at += 4;
    return true;
}

bool JsonScanner::skipValue(int depth)
{
    switch (peek()) {
    case '{':
        return depth < 64 ? members([&](QByteArrayView) { return skipValue(depth + 1); }) : fail();
    case '[':
        return depth < 64 ? elements([&] { return skipValue(depth + 1); }) : fail();
    case '"':
        return skipString();
    case 't':
    case 'f':
        return boolean().has_value();
    case 'n':
        return takeNull() || fail();
    default:
        return numberText().has_value();
    }
}

} // namespace fedsync
