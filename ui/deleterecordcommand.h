// Undo step: Deleting a record; undo restores it with its old value.
#pragma once

#include "recordchangecommand.h"

#include <QCoreApplication>

namespace fedsync::ui {

class DeleteRecordCommand final : public RecordChangeCommand
{
    Q_DECLARE_TR_FUNCTIONS(DeleteRecordCommand)
public:
    DeleteRecordCommand(DatasetWorkspace &workspace, DatasetWorkspace::Change change, ErrorReporter report)
        : RecordChangeCommand(workspace, change, std::move(report),
                              tr("Delete “%1”").arg(shortKey(change.key)))
    {}
};

} // namespace fedsync::ui
