// Undo step: Adding a record; undo removes it.
#pragma once

#include "recordchangecommand.h"

#include <QCoreApplication>

namespace fedsync::ui {

class AddRecordCommand final : public RecordChangeCommand
{
    Q_DECLARE_TR_FUNCTIONS(AddRecordCommand)
public:
    AddRecordCommand(DatasetWorkspace &workspace, DatasetWorkspace::Change change, ErrorReporter report)
        : RecordChangeCommand(workspace, change, std::move(report), tr("Add “%1”").arg(shortKey(change.key)))
    {}
};

} // namespace fedsync::ui
