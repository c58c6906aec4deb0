// Undo step: Changing a record's value; undo puts the old value back.
#pragma once

#include "recordchangecommand.h"

#include <QCoreApplication>

namespace fedsync::ui {

class EditValueCommand final : public RecordChangeCommand
{
    Q_DECLARE_TR_FUNCTIONS(EditValueCommand)
public:
    EditValueCommand(DatasetWorkspace &workspace, DatasetWorkspace::Change change, ErrorReporter report)
        : RecordChangeCommand(workspace, change, std::move(report), tr("Edit “%1”").arg(shortKey(change.key)))
    {}
};

} // namespace fedsync::ui
