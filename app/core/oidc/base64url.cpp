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

    QByteArray out;
    out.reserve(length * 3 / 4);
    quint32 buffer = 0;
    int bits = 0;
    for (qsizetype i = 0; i < length; ++i) {
        const int value = DecodeTable[static_cast<unsigned char>(text[i])];
        if (value == Invalid)
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<quint32>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(static_cast<char>((buffer >> bits) & 0xFF));
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
