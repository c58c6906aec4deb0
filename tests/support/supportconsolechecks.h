// What both support console tests (Cognito Sync and the DynamoDB store) check alike in the window: the
// row of a dataset in its dataset table, and a user's one note shown read-only in the record table.
// Header-only: fedsync_testsupport does not link the widgets.
#pragma once

#include "recordtablemodel.h"
#include "support/supportconsole.h"

#include <QTableView>
#include <QTableWidget>
#include <QTest>

namespace fedsync::test {

// The row of `dataset` in the console's dataset table; -1 when it is not there.
inline int datasetRow(ui::SupportConsole &console, const QString &dataset)
{
    const QTableWidget *datasets = console.datasetTable();
    for (int row = 0; row < datasets->rowCount(); ++row) {
        if (datasets->item(row, 0)->text() == dataset)
            return row;
    }
    return -1;
}

// The record table shows one record, "greeting" = `greeting`, and cannot be edited (check
// QTest::currentTestFailed() afterwards).
inline void checkGreetingShownReadOnly(ui::SupportConsole &console, const QString &greeting)
{
    ui::RecordTableModel *records = console.recordModel();
    QVERIFY(records);
    QTRY_COMPARE(records->rowCount(), 1);
    QCOMPARE(records->index(0, ui::RecordTableModel::KeyColumn).data().toString(),
             QStringLiteral("greeting"));
    QCOMPARE(
        records->index(0, ui::RecordTableModel::ValueColumn).data(ui::RecordTableModel::ValueRole).toString(),
        greeting);
    QCOMPARE(console.recordView()->editTriggers(), QAbstractItemView::NoEditTriggers);
}

} // namespace fedsync::test
