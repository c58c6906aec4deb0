// The records replies of Cognito Sync (ListRecords' page, UpdateRecords' answer) read in place with
// JsonScanner, without a QJsonDocument: a page of 1,024 records is read on every first sync of a device,
// and the document and the look-ups into it were most of the cost. It accepts only the shape the service
// sends (known fields of the right types, no duplicates); for anything else it gives nothing, and
// CognitoSyncClient reads the body the careful way (JsonFieldReader), which says what is wrong. For every
// body it accepts, both ways give the same page (tst_cognitosyncrecordsreader compares them).
#pragma once

#include "aws/cognitosyncclient.h"

#include <QByteArrayView>

#include <optional>

namespace fedsync::aws {

struct RecordsReply
{
    CognitoSyncRecordsPage page;
    bool hasSyncSessionToken = false; // ListRecords' page must have one (UpdateRecords' answer has none)
};

std::optional<RecordsReply> readRecordsReply(QByteArrayView body);

} // namespace fedsync::aws
