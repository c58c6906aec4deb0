// What both support console tests (Cognito Sync and the DynamoDB store) check alike in the window: the
// row of a dataset in its dataset table, and a user's one note shown read-only in the record table.
// Header-only: fedsync_testsupport does not link the widgets.
#pragma once

#include "recordtablemodel.h"
#include "support/auditlog.h"
#include "support/supportconsole.h"

#include <QSignalSpy>
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

// In edit mode: sets the first record's value to "fixed by support" through the record table, waits for
// the write, and checks that the audit log's last entry is `identityId`'s "notes"/"greeting", "ok".
// Returns that entry (check QTest::currentTestFailed() afterwards).
inline support::AuditEntry writeGreetingAsSupport(ui::SupportConsole &console, const QString &identityId)
{
    ui::RecordTableModel *records = console.recordModel();
    QSignalSpy written(&console, &ui::SupportConsole::written);
    if (!records->setData(records->index(0, ui::RecordTableModel::ValueColumn),
                          QStringLiteral("fixed by support"))) {
        QTest::qFail("the record table refused the edit", __FILE__, __LINE__);
        return {};
    }
    if (!written.wait(20000)) {
        QTest::qFail("the console did not report the write", __FILE__, __LINE__);
        return {};
    }
    const QList<support::AuditEntry> audit = support::AuditLog(support::AuditLog::defaultPath()).entries();
    if (audit.isEmpty()) {
        QTest::qFail("the audit log has no entry", __FILE__, __LINE__);
        return {};
    }
    const support::AuditEntry last = audit.last();
    [&] {
        QCOMPARE(last.identityId, identityId);
        QCOMPARE(last.dataset, QStringLiteral("notes"));
        QCOMPARE(last.key, QStringLiteral("greeting"));
        QCOMPARE(last.outcome, QStringLiteral("ok"));
    }();
    return last;
}

} // namespace fedsync::test
