// Adds a record or edits one's value: the key on one line, the value in a multi-line editor (values of
// any length), checked as the user types (key rules, the dataset's 1 MB and record limits). OK stays
// disabled with the reason shown while the record cannot be saved. OK saves through a commit function
// and closes only when the save succeeded, so a refused value is never lost.
#pragma once

#include "common/usererror.h"

#include <QDialog>

#include <functional>
#include <memory>

class QPushButton;

namespace Ui {
class RecordEditDialog;
}

namespace fedsync::ui {

class RecordEditDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Add, Edit };
    // Returns why `key` = `value` cannot be saved (no error: it can).
    using Check = std::function<UserError(const QString &key, const QString &value)>;

    RecordEditDialog(Mode mode, Check check, Check commit, QWidget *parent = nullptr);
    ~RecordEditDialog() override;

    // Edit mode: the record being edited (its key is shown, not editable).
    void setRecord(const QString &key, const QString &value);
    QString key() const;
    QString value() const;
    void setValue(const QString &value);
    void setKey(const QString &key);

    bool canSave() const;
    QString message() const;
    QPushButton *okButton() const;

    void accept() override;

private:
    void validate();

    std::unique_ptr<Ui::RecordEditDialog> m_ui;
    Mode m_mode;
    Check m_validate;
    Check m_commit;
};

} // namespace fedsync::ui
