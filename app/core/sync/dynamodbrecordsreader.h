// A DynamoDB Query reply of record items (the pull of the DynamoDB store) read in place with JsonScanner,
// without a QJsonDocument: on a 1,024-record pull the document, its QJsonArray of items and the look-ups
// into each item were a third of the pull's instructions. It accepts only what DynamoDB sends for items
// Fedsync wrote (the attributes it reads with the type it writes, once each) on a single page (no
// LastEvaluatedKey); for anything else it gives nothing, and DynamoDbRemote reads the reply the careful way
// (QJsonDocument and dynamodb::readRecord), which says what is wrong or follows the next page. For every
// reply it accepts, both ways give the same records (tst_dynamodbrecordsreader compares them).
#pragma once

#include "sync/synctypes.h"

#include <QByteArrayView>
#include <QList>

#include <optional>

namespace fedsync::dynamodb {

// The page's records, in pull order (sortRecords).
std::optional<QList<SyncRecord>> readRecordsQueryReply(QByteArrayView body);
// The order a DynamoDB pull hands its records on in, whichever way they were read: by sync count (the
// order of the writes), then by key.
void sortRecords(QList<SyncRecord> &records);

} // namespace fedsync::dynamodb
