#include "editorprompts.h"

#include "conflictdialog.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>

namespace fedsync::ui {

EditorPrompts EditorPrompts::dialogs()
{
    EditorPrompts prompts;
    prompts.confirm = [](QWidget *parent, const QString &title, const QString &text,
                         std::function<void(bool)> answer) {
        auto *box = new QMessageBox(QMessageBox::Question, title, text,
                                    QMessageBox::Yes | QMessageBox::Cancel, parent);
        box->setTextFormat(Qt::PlainText); // names and texts from files and servers
        box->setDefaultButton(QMessageBox::Cancel);
        box->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(box, &QMessageBox::finished, box, [box, answer = std::move(answer)] {
            answer(box->clickedButton() == box->button(QMessageBox::Yes));
        });
        box->open();
    };
    prompts.askText = [](QWidget *parent, const QString &title, const QString &label,
                         std::function<void(QString)> answer) {
        auto *dialog = new QInputDialog(parent);
        dialog->setWindowTitle(title);
        dialog->setLabelText(label);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &QInputDialog::finished, dialog,
                         [dialog, answer = std::move(answer)](int result) {
                             answer(result == QDialog::Accepted ? dialog->textValue().trimmed() : QString());
                         });
        dialog->open();
    };
    const QString filter = tr("JSON files (*.json);;All files (*)");
    prompts.openFile = [filter](QWidget *parent, const QString &title, std::function<void(QString)> answer) {
        auto *dialog = new QFileDialog(parent, title, QString(), filter);
        dialog->setAcceptMode(QFileDialog::AcceptOpen);
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &QFileDialog::finished, dialog,
                         [dialog, answer = std::move(answer)](int result) {
                             answer(result == QDialog::Accepted && !dialog->selectedFiles().isEmpty()
                                        ? dialog->selectedFiles().first()
                                        : QString());
                         });
        dialog->open();
    };
    prompts.saveFile = [filter](QWidget *parent, const QString &title, const QString &suggestedName,
                                std::function<void(QString)> answer) {
        auto *dialog = new QFileDialog(parent, title, QString(), filter);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDefaultSuffix(QStringLiteral("json"));
        dialog->selectFile(suggestedName);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &QFileDialog::finished, dialog,
                         [dialog, answer = std::move(answer)](int result) {
                             answer(result == QDialog::Accepted && !dialog->selectedFiles().isEmpty()
                                        ? dialog->selectedFiles().first()
                                        : QString());
                         });
        dialog->open();
    };
    prompts.resolveConflicts = [](QWidget *parent, const QString &dataset,
                                  const QList<SyncConflict> &conflicts,
                                  std::function<void(std::optional<QList<ConflictResolution>>)> answer) {
        auto *dialog = new ConflictDialog(dataset, conflicts, parent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(
            dialog, &QDialog::finished, dialog, [dialog, answer = std::move(answer)](int result) {
                answer(result == QDialog::Accepted ? std::optional(dialog->resolutions()) : std::nullopt);
            });
        dialog->open();
    };
    return prompts;
}

} // namespace fedsync::ui
