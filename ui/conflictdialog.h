// Settles the conflicts of one synchronization (records changed here and on the server with different
// values): for each, my value and theirs side by side with who changed theirs and when, and a choice
// of keeping mine, keeping theirs or editing a merged value (prefilled with mine); "Keep all mine" and
// "Keep all theirs" decide them all. OK gives resolutions() for SyncEngine::resolveConflicts(); Cancel
// decides nothing (the caller cancels the run, so the edits stay pending).
#pragma once

#include "sync/synctypes.h"

#include <QDialog>

#include <memory>

namespace Ui {
class ConflictDialog;
}

namespace fedsync::ui {

class ConflictDialog final : public QDialog
{
    Q_OBJECT
public:
    enum Column { KeyColumn, MineColumn, TheirsColumn, ChangedColumn, ChoiceColumn, ColumnCount };

    ConflictDialog(const QString &dataset, const QList<SyncConflict> &conflicts, QWidget *parent = nullptr);
    ~ConflictDialog() override;

    int conflictCount() const { return int(m_conflicts.size()); }
    // Decides conflict `row`; `merged` is the merged value for Choice::Merged.
    void choose(int row, ConflictResolution::Choice choice, const QString &merged = {});
    void keepAllMine();
    void keepAllTheirs();
    void setCurrentRow(int row);
    QList<ConflictResolution> resolutions() const;

    static QString displayValue(const std::optional<QString> &value);

private:
    struct Decision
    {
        ConflictResolution::Choice choice = ConflictResolution::Choice::KeepMine;
        QString merged;
    };

    void showCurrent();
    void updateRow(int row);
    void takeChoiceFromRadios();

    std::unique_ptr<Ui::ConflictDialog> m_ui;
    QList<SyncConflict> m_conflicts;
    QList<Decision> m_decisions;
    int m_current = -1;
    bool m_updating = false;
};

} // namespace fedsync::ui
