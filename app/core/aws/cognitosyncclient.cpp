#include "aws/cognitosyncclient.h"

#include "aws/awscall.h"
#include "aws/awsclient.h"
#include "aws/cognitosyncrecordsreader.h"
#include "common/jsonfieldreader.h"
#include "common/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

namespace fedsync::aws {

namespace {

const QString service = QStringLiteral("cognito-sync");

QByteArray segment(const QString &text)
{
    return QUrl::toPercentEncoding(text);
}

// A query value as the service reads it: '+', '/' and '=' of an opaque token must not be taken for
// a space or a delimiter, so the value goes in already percent-encoded.
QString queryValue(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

// The reply's JSON object, or a problem.
QJsonObject rootOf(const QByteArray &body, JsonFieldReader &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        json.invalid(QStringLiteral("the body is not JSON (%1)").arg(error.errorString()));
    else if (!document.isObject())
        json.invalid(QStringLiteral("the body is not a JSON object"));
    return document.object();
}

QList<CognitoSyncRecord> recordsOf(const QJsonObject &root, JsonFieldReader &json)
{
    QList<CognitoSyncRecord> out;
    const QJsonArray list = json.array(root, {}, QStringLiteral("Records"));
    for (qsizetype i = 0; i < list.size() && json.ok(); ++i) {
        const QString item = QStringLiteral("Records[%1]").arg(i);
        const QString where = item + QLatin1Char('.');
        const QJsonObject object = json.objectAt(list.at(i), item);
        CognitoSyncRecord record;
        record.key = json.requiredString(object, where, QStringLiteral("Key"));
        if (json.ok() && record.key.isEmpty())
            json.invalid(where + QStringLiteral("Key is empty"));
        record.value = json.optionalString(object, where, QStringLiteral("Value"));
        record.syncCount = json.count(object, where, QStringLiteral("SyncCount"), true);
        record.lastModified = json.epochSeconds(object, where, QStringLiteral("LastModifiedDate"));
        record.lastModifiedBy = json.string(object, where, QStringLiteral("LastModifiedBy"));
        record.deviceLastModified = json.epochSeconds(object, where, QStringLiteral("DeviceLastModifiedDate"));
        out << record;
    }
    return out;
}

template<typename T> std::optional<T> result(const JsonFieldReader &json, T value, QString *problem)
{
    if (json.ok())
        return value;
    if (problem)
        *problem = json.problemText();
    return std::nullopt;
}

} // namespace

CognitoSyncClient::CognitoSyncClient(AwsClient &client, QString identityPoolId, QString identityId)
    : m_client(client)
    , m_poolId(std::move(identityPoolId))
    , m_identityId(std::move(identityId))
{}

QByteArray CognitoSyncClient::datasetsPath() const
{
    return "/identitypools/" + segment(m_poolId) + "/identities/" + segment(m_identityId) + "/datasets";
}

QByteArray CognitoSyncClient::datasetPath(const QString &dataset) const
{
    return datasetsPath() + '/' + segment(dataset);
}

QByteArray CognitoSyncClient::recordsPath(const QString &dataset) const
{
    return datasetPath(dataset) + "/records";
}

AwsCall *CognitoSyncClient::call(const QString &operation, const QByteArray &method, const QByteArray &path,
                                 const QUrlQuery &query, const QJsonObject &body, const QString &dataset) const
{
    AwsCallOptions options;
    options.sign = true;
    options.summary = dataset.isEmpty() ? operation : QStringLiteral("%1 %2").arg(operation, dataset);
    return m_client.callRestJson(service, operation, method, path, query, body, options);
}

AwsCall *CognitoSyncClient::listDatasets(const QString &nextToken) const
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("maxResults"), QString::number(ListDatasetsPageSize));
    if (!nextToken.isEmpty())
        query.addQueryItem(QStringLiteral("nextToken"), queryValue(nextToken));
    return call(QStringLiteral("ListDatasets"), "GET", datasetsPath(), query, {}, {});
}

AwsCall *CognitoSyncClient::listRecords(const CognitoSyncListRecords &request) const
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("lastSyncCount"),
                       QString::number(std::max<qint64>(0, request.lastSyncCount)));
    query.addQueryItem(QStringLiteral("maxResults"),
                       QString::number(std::clamp(request.maxResults, 1, MaxListRecordsPageSize)));
    if (!request.nextToken.isEmpty())
        query.addQueryItem(QStringLiteral("nextToken"), queryValue(request.nextToken));
    if (!request.syncSessionToken.isEmpty())
        query.addQueryItem(QStringLiteral("syncSessionToken"), queryValue(request.syncSessionToken));
    return call(QStringLiteral("ListRecords"), "GET", recordsPath(request.dataset), query, {}, request.dataset);
}

AwsCall *CognitoSyncClient::updateRecords(const CognitoSyncUpdate &request) const
{
    return updateRecords(request.dataset, updateRecordsBody(request), {});
}

AwsCall *CognitoSyncClient::updateRecords(const QString &dataset, const QByteArray &body,
                                          const QByteArray &payloadHash) const
{
    AwsCallOptions options;
    options.sign = true;
    options.summary = QStringLiteral("UpdateRecords %1").arg(dataset);
    return m_client.callRestJson(service, QStringLiteral("UpdateRecords"), "POST", datasetPath(dataset), {}, body,
                                 payloadHash, options);
}

QByteArray CognitoSyncClient::updateRecordsBody(const CognitoSyncUpdate &request)
{
    JsonWriter json;
    json.beginObject();
    json.name(u"RecordPatches");
    json.beginArray();
    for (const CognitoSyncPatch &patch : request.patches) {
        json.beginObject();
        json.name(u"Op");
        json.string(patch.remove ? u"remove" : u"replace");
        json.name(u"Key");
        json.string(patch.key);
        json.name(u"SyncCount");
        json.number(patch.syncCount);
        if (!patch.remove) {
            json.name(u"Value");
            json.string(patch.value);
        }
        if (patch.deviceLastModified.isValid()) {
            json.name(u"DeviceLastModifiedDate"); // epoch seconds, to the millisecond
            json.fixedPoint(patch.deviceLastModified.toMSecsSinceEpoch(), 3);
        }
        json.endObject();
    }
    json.endArray();
    json.name(u"SyncSessionToken");
    json.string(request.syncSessionToken);
    if (!request.deviceId.isEmpty()) {
        json.name(u"DeviceId");
        json.string(request.deviceId);
    }
    json.endObject();
    return json.bytes();
}

AwsCall *CognitoSyncClient::deleteDataset(const QString &dataset) const
{
    return call(QStringLiteral("DeleteDataset"), "DELETE", datasetPath(dataset), {}, {}, dataset);
}

std::optional<CognitoSyncDatasetsPage> CognitoSyncClient::parseDatasets(const QByteArray &body, QString *problem)
{
    JsonFieldReader json;
    const QJsonObject root = rootOf(body, json);
    CognitoSyncDatasetsPage page;
    const QJsonArray list = json.array(root, {}, QStringLiteral("Datasets"));
    for (qsizetype i = 0; i < list.size() && json.ok(); ++i) {
        const QString item = QStringLiteral("Datasets[%1]").arg(i);
        const QString where = item + QLatin1Char('.');
        const QJsonObject object = json.objectAt(list.at(i), item);
        CognitoSyncDataset dataset;
        dataset.name = json.requiredString(object, where, QStringLiteral("DatasetName"));
        dataset.created = json.epochSeconds(object, where, QStringLiteral("CreationDate"));
        dataset.lastModified = json.epochSeconds(object, where, QStringLiteral("LastModifiedDate"));
        dataset.lastModifiedBy = json.string(object, where, QStringLiteral("LastModifiedBy"));
        dataset.dataStorage = json.count(object, where, QStringLiteral("DataStorage"));
        dataset.numRecords = json.count(object, where, QStringLiteral("NumRecords"));
        page.datasets << dataset;
    }
    page.nextToken = json.string(root, {}, QStringLiteral("NextToken"));
    return result(json, page, problem);
}

std::optional<CognitoSyncRecordsPage> CognitoSyncClient::parseRecords(const QByteArray &body, QString *problem)
{
    // The reply as the service sends it, read in place; anything else the careful way below.
    if (std::optional<RecordsReply> reply = readRecordsReply(body); reply && reply->hasSyncSessionToken)
        return std::move(reply->page);
    return parseRecordsCarefully(body, problem);
}

std::optional<CognitoSyncRecordsPage> CognitoSyncClient::parseRecordsCarefully(const QByteArray &body,
                                                                               QString *problem)
{
    JsonFieldReader json;
    const QJsonObject root = rootOf(body, json);
    CognitoSyncRecordsPage page;
    page.records = recordsOf(root, json);
    page.datasetSyncCount = json.count(root, {}, QStringLiteral("DatasetSyncCount"));
    page.datasetExists = json.boolean(root, {}, QStringLiteral("DatasetExists"));
    page.datasetDeletedAfterRequestedSyncCount =
        json.boolean(root, {}, QStringLiteral("DatasetDeletedAfterRequestedSyncCount"));
    page.syncSessionToken = json.requiredString(root, {}, QStringLiteral("SyncSessionToken"));
    const QJsonArray names = json.array(root, {}, QStringLiteral("MergedDatasetNames"));
    for (qsizetype i = 0; i < names.size() && json.ok(); ++i) {
        if (!names.at(i).isString())
            json.wrongType(QStringLiteral("MergedDatasetNames[%1]").arg(i), JsonFieldReader::Kind::Text);
        page.mergedDatasetNames << names.at(i).toString();
    }
    page.nextToken = json.string(root, {}, QStringLiteral("NextToken"));
    return result(json, page, problem);
}

std::optional<QList<CognitoSyncRecord>> CognitoSyncClient::parseUpdatedRecords(const QByteArray &body,
                                                                               QString *problem)
{
    if (std::optional<RecordsReply> reply = readRecordsReply(body))
        return std::move(reply->page.records);
    JsonFieldReader json;
    const QJsonObject root = rootOf(body, json);
    const QList<CognitoSyncRecord> records = recordsOf(root, json);
    return result(json, records, problem);
}

bool CognitoSyncClient::parseDeletedDataset(const QByteArray &body, QString *problem)
{
    // The answer describes what was deleted; only its shape matters.
    JsonFieldReader json;
    const QJsonObject root = rootOf(body, json);
    json.objectAt(root.value(QStringLiteral("Dataset")), QStringLiteral("Dataset"));
    return result(json, true, problem).has_value();
}

bool CognitoSyncClient::isExpiredCredentials(const AwsFailure &failure)
{
    const QString &type = failure.aws.type;
    return type == QLatin1String("ExpiredTokenException") || type == QLatin1String("ExpiredToken");
}

} // namespace fedsync::aws
