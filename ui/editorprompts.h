// The questions the dataset editor asks (confirmations, a name, files, conflict decisions), as
// replaceable functions so GUI tests can answer them without a real dialog. Each takes a callback and
// returns at once; dialogs() gives the real, window-modal, non-blocking dialogs.
#pragma once

#include "sync/synctypes.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QWidget;

namespace fedsync::ui {

struct EditorPrompts
{
    Q_DECLARE_TR_FUNCTIONS(EditorPrompts)

public:
    // Yes (true) or no.
    std::function<void(QWidget *parent, const QString &title, const QString &text, std::function<void(bool)>)>
        confirm;
    // A line of text, given to `accept` on OK (trimmed); an error from it keeps the dialog open with
    // what was typed and the reason. Cancel: `accept` is not called.
    std::function<void(QWidget *parent, const QString &title, const QString &label,
                       std::function<UserError(QString)> accept)>
        askText;
    // A JSON file to read, or to write (`suggestedName` prefilled); empty path when cancelled.
    std::function<void(QWidget *parent, const QString &title, std::function<void(QString)>)> openFile;
    std::function<void(QWidget *parent, const QString &title, const QString &suggestedName,
                       std::function<void(QString)>)>
        saveFile;
    // Decisions for the conflicts of a synchronization; std::nullopt when the user cancelled.
    std::function<void(QWidget *parent, const QString &dataset, const QList<SyncConflict> &conflicts,
                       std::function<void(std::optional<QList<ConflictResolution>>)>)>
        resolveConflicts;

    static EditorPrompts dialogs();
};

} // namespace fedsync::ui
