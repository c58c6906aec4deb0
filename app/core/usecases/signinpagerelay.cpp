#include "usecases/signinpagerelay.h"

#include <QJsonDocument>

namespace fedsync::signinpage {

QByteArray encode(const QString &type, QJsonObject fields)
{
    fields.insert(QStringLiteral("type"), type);
    return QJsonDocument(fields).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject errorToJson(const UserError &error)
{
    return {{QStringLiteral("code"), error.code},
            {QStringLiteral("what"), error.what},
            {QStringLiteral("why"), error.why},
            {QStringLiteral("action"), error.action}};
}

UserError errorFromJson(const QJsonObject &object)
{
    return UserError::make(object.value(QStringLiteral("code")).toString(),
                           object.value(QStringLiteral("what")).toString(),
                           object.value(QStringLiteral("why")).toString(),
                           object.value(QStringLiteral("action")).toString());
}

void LineReader::append(const QByteArray &bytes)
{
    if (m_broken)
        return;
    m_pending.append(bytes);
    if (m_pending.indexOf('\n') < 0 && m_pending.size() > MaxLine) {
        m_broken = true;
        m_pending.clear();
    }
}

std::optional<Message> LineReader::next()
{
    if (m_broken)
        return std::nullopt;
    const qsizetype end = m_pending.indexOf('\n');
    if (end < 0)
        return std::nullopt;
    const QByteArray line = m_pending.left(end);
    m_pending.remove(0, end + 1);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    const QString type = document.object().value(QStringLiteral("type")).toString();
    if (line.size() > MaxLine || error.error != QJsonParseError::NoError || !document.isObject() || type.isEmpty()) {
        m_broken = true;
        m_pending.clear();
        return std::nullopt;
    }
    return Message{type, document.object()};
}

} // namespace fedsync::signinpage
