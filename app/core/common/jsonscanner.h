// Reads a JSON text (UTF-8) token by token, in place, without building a document: for the few replies
// that are large and read on every sync (a page of 1,024 records), where QJsonDocument's document and the
// look-ups into it were most of the cost. Strict: it accepts what RFC 8259 accepts and nothing else
// (no comments, no trailing commas, no control characters or invalid UTF-8 in strings), so a caller can
// take a failure as "not the reply I know" and read the body the slow, careful way instead, which says
// what is wrong. It does not say why itself.
#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace fedsync {

class JsonScanner final
{
public:
    explicit JsonScanner(QByteArrayView text)
        : m_at(text.data())
        , m_end(text.data() + text.size())
    {}

    bool failed() const { return m_failed; }
    // Whitespace, then `c` (one of {}[]:,); false, and failed, otherwise.
    bool expect(char c);
    // Whitespace, then `c`, taken if it is there (no failure when it is not).
    bool take(char c);
    // Whitespace, then what the next value is: '{', '[', '"', 't', 'f', 'n', a digit or '-'; 0 at the end.
    char peek();

    // A string value (or a member's name), unescaped.
    std::optional<QString> string();
    // A string value passed over, checked as string() checks it (without making the QString when it is
    // plain ASCII).
    bool skipString();
    // A member's name, for comparing with ASCII names: its raw bytes when they hold no escape (the
    // usual case), else failed.
    std::optional<QByteArrayView> plainName();
    // A number as JSON writes it, its text (for the caller to convert). One beyond a double's range fails,
    // as QJsonDocument refuses it.
    std::optional<QByteArrayView> numberText();
    // true or false.
    std::optional<bool> boolean();
    // null, taken if it is next.
    bool takeNull();
    // An object: `read(name)` for each member (its name as plainName() gives it), which reads the value;
    // false when anything fails.
    template<typename Read> bool members(Read read)
    {
        if (!expect('{'))
            return false;
        if (take('}'))
            return true;
        do {
            const std::optional<QByteArrayView> name = plainName();
            if (!name || !expect(':') || !read(*name))
                return fail();
        } while (take(','));
        return expect('}');
    }
    // A list: `read()` for each element, which reads it; false when anything fails.
    template<typename Read> bool elements(Read read)
    {
        if (!expect('['))
            return false;
        if (take(']'))
            return true;
        do {
            if (!read())
                return fail();
        } while (take(','));
        return expect(']');
    }
    // Any one value, checked and passed over (objects and arrays nest at most 64 deep; names with
    // escapes fail, as in members()).
    bool skipValue() { return skipValue(0); }
    // Only whitespace is left.
    bool atEnd();

    // For a reader that takes each member it knows once: sets bit `bit` of `seen`, false when it was set
    // already. A member named twice is read by QJsonDocument its own way, so a fast reader leaves that
    // body to the careful one.
    static bool once(unsigned &seen, unsigned bit)
    {
        if (seen & bit)
            return false;
        seen |= bit;
        return true;
    }

private:
    bool skipValue(int depth);
    void skipWhitespace();
    bool fail()
    {
        m_failed = true;
        return false;
    }

    const char *m_at;
    const char *m_end;
    bool m_failed = false;
};

} // namespace fedsync
