#include "editorprompts.h"

#include "conflictdialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QVBoxLayout>

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
                         std::function<UserError(QString)> accept) {
        // Not a QInputDialog: a refused answer keeps the dialog open with what was typed and the reason.
        auto *dialog = new QDialog(parent);
        dialog->setWindowTitle(title);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        auto *layout = new QVBoxLayout(dialog);
        auto *prompt = new QLabel(label, dialog);
        auto *edit = new QLineEdit(dialog);
        edit->setObjectName(QStringLiteral("textEdit"));
        prompt->setBuddy(edit);
        auto *problem = new QLabel(dialog);
        problem->setObjectName(QStringLiteral("problemLabel"));
        problem->setWordWrap(true);
        problem->setForegroundRole(QPalette::LinkVisited);
        problem->hide();
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
        layout->addWidget(prompt);
        layout->addWidget(edit);
        layout->addWidget(problem);
        layout->addWidget(buttons);
        QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
        QObject::connect(buttons, &QDialogButtonBox::accepted, dialog,
                         [dialog, edit, problem, accept = std::move(accept)] {
                             const UserError error = accept(edit->text().trimmed());
                             if (!error.isError())
                                 return dialog->accept();
                             problem->setText(error.text());
                             problem->show();
                             edit->setFocus();
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
