#include "recordeditdialog.h"
#include "ui_recordeditdialog.h"

#include "datasetlistmodel.h"
#include "messagebanner.h"

#include <QPushButton>

namespace fedsync::ui {

RecordEditDialog::RecordEditDialog(Mode mode, Check check, Check commit, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::RecordEditDialog>())
    , m_mode(mode)
    , m_validate(std::move(check))
    , m_commit(std::move(commit))
{
    m_ui->setupUi(this);
    setWindowTitle(mode == Mode::Add ? tr("Add record") : tr("Edit record"));
    m_ui->keyEdit->setPlaceholderText(tr("1 to 128 characters"));
    m_ui->keyEdit->setReadOnly(mode == Mode::Edit);
    m_ui->valueEdit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    // Values are often long unbroken runs (base64, minified JSON); looking for word boundaries in those
    // freezes the layout for seconds (30 s for 700 KB), wrapping anywhere takes milliseconds.
    m_ui->valueEdit->setWordWrapMode(QTextOption::WrapAnywhere);
    connect(m_ui->keyEdit, &QLineEdit::textChanged, this, &RecordEditDialog::validate);
    connect(m_ui->valueEdit, &QPlainTextEdit::textChanged, this, &RecordEditDialog::validate);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &RecordEditDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &RecordEditDialog::reject);
    (mode == Mode::Add ? static_cast<QWidget *>(m_ui->keyEdit) : m_ui->valueEdit)->setFocus();
    validate();
}

RecordEditDialog::~RecordEditDialog() = default;

void RecordEditDialog::setRecord(const QString &key, const QString &value)
{
    m_ui->keyEdit->setText(key);
    m_ui->valueEdit->setPlainText(value);
    m_ui->valueEdit->setFocus();
    validate();
}

QString RecordEditDialog::key() const
{
    return m_ui->keyEdit->text();
}

QString RecordEditDialog::value() const
{
    return m_ui->valueEdit->toPlainText();
}

void RecordEditDialog::setValue(const QString &value)
{
    m_ui->valueEdit->setPlainText(value);
}

void RecordEditDialog::setKey(const QString &key)
{
    m_ui->keyEdit->setText(key);
}

bool RecordEditDialog::canSave() const
{
    return okButton()->isEnabled();
}

QString RecordEditDialog::message() const
{
    return m_ui->messageLabel->text();
}

QPushButton *RecordEditDialog::okButton() const
{
    return m_ui->buttonBox->button(QDialogButtonBox::Ok);
}

void RecordEditDialog::validate()
{
    const QString text = value();
    const qint64 bytes = key().toUtf8().size() + text.toUtf8().size();
    m_ui->sizeLabel->setText(tr("Record size: %1").arg(DatasetListModel::formatSize(bytes)));
    const UserError error = m_validate ? m_validate(key(), text) : UserError();
    // An empty key in a new record is the starting point, not a mistake: no red text for it yet.
    const bool quiet = error.isError() && m_mode == Mode::Add && key().isEmpty();
    m_ui->messageLabel->setText(error.isError() && !quiet ? MessageBanner::formatError(error) : QString());
    m_ui->messageLabel->setVisible(error.isError() && !quiet);
    okButton()->setEnabled(!error.isError());
}

void RecordEditDialog::accept()
{
    if (!canSave())
        return;
    if (m_commit) {
        if (const UserError error = m_commit(key(), value()); error.isError()) {
            // Stay open with the text as typed.
            m_ui->messageLabel->setText(MessageBanner::formatError(error));
            m_ui->messageLabel->setVisible(true);
            return;
        }
    }
    QDialog::accept();
}

} // namespace fedsync::ui
