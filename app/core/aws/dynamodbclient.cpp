#include "aws/dynamodbclient.h"

#include "aws/awscall.h"
#include "aws/awsclient.h"

#include <QJsonDocument>

#include <charconv>
#include <cmath>

namespace fedsync::aws {

DynamoDbClient::DynamoDbClient(AwsClient &client, QString table)
    : m_client(client)
    , m_table(std::move(table))
{}

AwsCall *DynamoDbClient::call(const QString &operation, QJsonObject input, const QString &summary) const
{
    return call(operation, body(operation, std::move(input), m_table), {}, summary);
}

QByteArray DynamoDbClient::body(const QString &operation, QJsonObject input, const QString &table)
{
    if (operation != QLatin1String("TransactWriteItems") && !input.contains(QLatin1String("TableName")))
        input.insert(QStringLiteral("TableName"), table);
    return QJsonDocument(input).toJson(QJsonDocument::Compact);
}

AwsCall *DynamoDbClient::call(const QString &operation, const QByteArray &body, const QByteArray &payloadHash,
                              const QString &summary) const
{
    AwsCallOptions options;
    options.sign = true;
    options.summary = summary;
    return m_client.callJson10(QStringLiteral("DynamoDB_20120810"), QStringLiteral("dynamodb"), operation,
                               body, payloadHash, options);
}

QJsonObject DynamoDbClient::string(const QString &value)
{
    return {{QStringLiteral("S"), value}};
}

QJsonObject DynamoDbClient::number(qint64 value)
{
    return {{QStringLiteral("N"), QString::number(value)}};
}

QJsonObject DynamoDbClient::number(double value)
{
    return {{QStringLiteral("N"), QString::number(value, 'f', 3)}};
}

QJsonObject DynamoDbClient::boolean(bool value)
{
    return {{QStringLiteral("BOOL"), value}};
}

std::optional<QString> DynamoDbClient::stringOf(const QJsonObject &item, const QString &name)
{
    const QJsonValue value = item.value(name).toObject().value(QLatin1String("S"));
    if (!value.isString())
        return std::nullopt;
    return value.toString();
}

std::optional<double> DynamoDbClient::numberOf(const QJsonObject &item, const QString &name)
{
    const QJsonValue value = item.value(name).toObject().value(QLatin1String("N"));
    if (!value.isString())
        return std::nullopt;
    const QString text = value.toString();
    // A number as DynamoDB writes it (ASCII digits, a point, an exponent) through std::from_chars:
    // QString::toDouble goes through the locale's machinery, 8,000 instructions a number, a quarter of a
    // 1,024-record pull. Anything else (spaces, a '+') still goes through QString::toDouble.
    char ascii[64];
    if (text.size() < qsizetype(sizeof ascii)) {
        qsizetype length = 0;
        for (const QChar c : text) {
            if (c.unicode() >= 0x80)
                break;
            ascii[length++] = char(c.unicode());
        }
        double number = 0;
        const auto [end, error] = std::from_chars(ascii, ascii + length, number);
        if (length == text.size() && length > 0 && error == std::errc() && end == ascii + length)
            return std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
    }
    bool ok = false;
    const double number = text.toDouble(&ok);
    if (!ok || !std::isfinite(number))
        return std::nullopt;
    return number;
}

std::optional<bool> DynamoDbClient::booleanOf(const QJsonObject &item, const QString &name)
{
    const QJsonValue value = item.value(name).toObject().value(QLatin1String("BOOL"));
    if (!value.isBool())
        return std::nullopt;
    return value.toBool();
}

} // namespace fedsync::aws
