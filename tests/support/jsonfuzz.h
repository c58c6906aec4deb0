// Random inputs for the tests that hold a fast JSON reader (JsonScanner's) to a careful one
// (QJsonDocument's): texts with what JSON escapes and what UTF-8 spells in 1 to 4 bytes, and bodies broken
// at random places.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QChar>
#include <QRandomGenerator>
#include <QString>

#include <iterator>

namespace fedsync::test {

// Up to three pieces: plain ASCII, quotes, backslashes, control characters, 2-, 3- and 4-byte UTF-8,
// text that looks like JSON, or nothing.
inline QString randomJsonText(QRandomGenerator &random)
{
    static const QString pieces[] = {QStringLiteral("plain"),
                                     QStringLiteral("\"quoted\""),
                                     QStringLiteral("back\\slash"),
                                     QStringLiteral("line\nbreak\ttab\r"),
                                     QStringLiteral("caf\u00e9"),
                                     QStringLiteral("\u65e5\u672c"),
                                     QString::fromUcs4(U"\U0001F600"),
                                     QStringLiteral("/slash/"),
                                     QString(QChar(0x01)),
                                     QStringLiteral("{\"json\": [1, 2]}"),
                                     QStringLiteral("{\"S\": [1, 2]}"),
                                     QString()};
    QString text;
    const int count = random.bounded(4);
    for (int i = 0; i < count; ++i)
        text += pieces[random.bounded(int(std::size(pieces)))];
    return text;
}

// One or two bytes of `body` changed, removed or added (taken from `alphabet`).
inline void breakRandomly(QByteArray &body, QRandomGenerator &random, QByteArrayView alphabet)
{
    const int edits = random.bounded(1, 3);
    for (int e = 0; e < edits; ++e) {
        const int at = random.bounded(int(body.size()));
        const char c = alphabet.at(random.bounded(int(alphabet.size())));
        switch (random.bounded(3)) {
        case 0:
            body[at] = c;
            break;
        case 1:
            body.remove(at, 1);
            break;
        default:
            body.insert(at, c);
            break;
        }
    }
}

// One record (Cognito Sync's or the engine's: the same fields) in one line, every field shown, so that a
// difference between the two readers shows in QCOMPARE's message.
template<typename Record> QString describeRecord(const Record &r)
{
    return QStringLiteral("[%1] value=%2 %3 count=%4 at=%5 by=%6 device=%7")
        .arg(r.key, r.value ? QStringLiteral("\"%1\"").arg(*r.value) : QStringLiteral("none"))
        .arg(r.value ? r.value->size() : -1)
        .arg(r.syncCount)
        .arg(r.lastModified.isValid() ? r.lastModified.toMSecsSinceEpoch() : -1)
        .arg(r.lastModifiedBy)
        .arg(r.deviceLastModified.isValid() ? r.deviceLastModified.toMSecsSinceEpoch() : -1);
}

} // namespace fedsync::test
