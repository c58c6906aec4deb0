// Amazon DynamoDB's JSON 1.0 operations (POST /, X-Amz-Target: DynamoDB_20120810.<Op>, SigV4 service
// "dynamodb") for one table, over the AwsClient that signs them and retries throttling
// (ProvisionedThroughputExceededException, ThrottlingException) and 5xx as the SDKs' standard mode.
// Also the attribute-value helpers: DynamoDB's typed JSON ({"S": "text"}, {"N": "12"}).
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace fedsync::aws {

class AwsCall;
class AwsClient;

class DynamoDbClient final
{
public:
    // `client` must outlive this object; its endpoint for "dynamodb" and its region are the table's.
    DynamoDbClient(AwsClient &client, QString table);

    QString table() const { return m_table; }
    AwsClient &awsClient() const { return m_client; }

    // Starts `operation` with `input`; TableName is added unless the input names one or the operation
    // spans tables (TransactWriteItems). `summary` goes to the trace (already redacted).
    AwsCall *call(const QString &operation, QJsonObject input, const QString &summary) const;
    // The same in two steps, for a large input: its JSON as call() sends it (made on any thread: it reads
    // only its arguments), then the call with that JSON and, optionally, its SHA-256 in hex.
    static QByteArray body(const QString &operation, QJsonObject input, const QString &table);
    AwsCall *call(const QString &operation, const QByteArray &body, const QByteArray &payloadHash,
                  const QString &summary) const;

    static QJsonObject string(const QString &value);
    static QJsonObject number(qint64 value);
    static QJsonObject number(double value);
    static QJsonObject boolean(bool value);

    // A typed attribute of `item`, or nothing when absent or of another type.
    static std::optional<QString> stringOf(const QJsonObject &item, const QString &name);
    static std::optional<double> numberOf(const QJsonObject &item, const QString &name);
    static std::optional<bool> booleanOf(const QJsonObject &item, const QString &name);

private:
    AwsClient &m_client;
    const QString m_table;
};

} // namespace fedsync::aws
