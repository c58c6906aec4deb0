#include "oidc/base64url.h"

#include <array>

namespace fedsync::Base64Url {

namespace {

constexpr int Invalid = -1;

constexpr std::array<int, 256> makeDecodeTable()
{
    std::array<int, 256> table{};
    table.fill(Invalid);
    for (int i = 0; i < 26; ++i) {
        table[static_cast<std::size_t>('A' + i)] = i;
        table[static_cast<std::size_t>('a' + i)] = 26 + i;
    }
    for (int i = 0; i < 10; ++i)
        table[static_cast<std::size_t>('0' + i)] = 52 + i;
    table[static_cast<std::size_t>('-')] = 62;
    table[static_cast<std::size_t>('_')] = 63;
    return table;
}

constexpr std::array<int, 256> DecodeTable = makeDecodeTable();

} // namespace

QByteArray encode(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> decode(QByteArrayView text)
{
    qsizetype length = text.size();
    // Padding is optional, but when present it must complete the last group of four.
    if (length > 0 && text.endsWith('=')) {
        if (length % 4 != 0)
            return std::nullopt;
        qsizetype padding = 0;
        while (padding < 2 && length > 0 && text[length - 1] == '=') {
            --length;
            ++padding;
        }
    }
    if (length % 4 == 1)
        return std::nullopt; // six bits cannot encode a byte

    // Writes into a buffer sized once: four characters make three bytes, a tail of 2 or 3 makes 1 or 2.
    QByteArray out(length / 4 * 3 + (length % 4 == 0 ? 0 : length % 4 - 1), Qt::Uninitialized);
    char *to = out.data();
    const char *from = text.data();
    const qsizetype whole = length - length % 4;
    for (qsizetype i = 0; i < whole; i += 4) {
        const int a = DecodeTable[static_cast<unsigned char>(from[i])];
        const int b = DecodeTable[static_cast<unsigned char>(from[i + 1])];
        const int c = DecodeTable[static_cast<unsigned char>(from[i + 2])];
        const int d = DecodeTable[static_cast<unsigned char>(from[i + 3])];
        if ((a | b | c | d) < 0)
            return std::nullopt;
        const quint32 group = (quint32(a) << 18) | (quint32(b) << 12) | (quint32(c) << 6) | quint32(d);
        *to++ = static_cast<char>(group >> 16);
        *to++ = static_cast<char>((group >> 8) & 0xFF);
        *to++ = static_cast<char>(group & 0xFF);
    }
    quint32 buffer = 0;
    int bits = 0;
    for (qsizetype i = whole; i < length; ++i) {
        const int value = DecodeTable[static_cast<unsigned char>(from[i])];
        if (value == Invalid)
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<quint32>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *to++ = static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    // An encoder leaves the bits below the last byte at zero; anything else is not base64url output.
    if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

std::optional<QByteArray> decode(QStringView text)
{
    for (const QChar c : text)
        if (c.unicode() > 0x7F)
            return std::nullopt;
    return decode(QByteArrayView(text.toLatin1()));
}

} // namespace fedsync::Base64Url
