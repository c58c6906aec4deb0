#include "conflictdialog.h"
#include "ui_conflictdialog.h"

#include "recordtablemodel.h"

#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>

namespace fedsync::ui {

using Choice = ConflictResolution::Choice;

namespace {
// Cognito Sync names the identity that wrote, and every device of this user writes as the same identity:
// the user's own identity id would say nothing. Another writer (a support tool's developer credentials)
// is named.
QString writerText(const QString &lastModifiedBy)
{
    static const QRegularExpression identityId(QStringLiteral("\\A[a-z]{2}(-[a-z]+)+-\\d:[0-9a-f-]{36}\\z"));
    if (lastModifiedBy.isEmpty())
        return ConflictDialog::tr("unknown");
    if (identityId.match(lastModifiedBy).hasMatch())
        return ConflictDialog::tr("another of your devices");
    return lastModifiedBy;
}
} // namespace

ConflictDialog::ConflictDialog(const QString &dataset, const QList<SyncConflict> &conflicts, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConflictDialog>())
    , m_conflicts(conflicts)
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Conflicts in “%1”").arg(dataset));
    m_ui->introLabel->setText(
        tr("These records of “%1” were changed on this computer and elsewhere since the last "
           "synchronization. Choose for each which value to keep; the choice is then synchronized "
           "everywhere.")
            .arg(dataset));
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Apply"));

    // As in RecordEditDialog: long unbroken values would freeze a word-boundary layout.
    for (QPlainTextEdit *edit : {m_ui->mineView, m_ui->theirsView, m_ui->mergedEdit})
        edit->setWordWrapMode(QTextOption::WrapAnywhere);
    QTableWidget *table = m_ui->conflictTable;
    table->setColumnCount(ColumnCount);
    table->setHorizontalHeaderLabels(
        {tr("Key"), tr("My value"), tr("Their value"), tr("Changed by"), tr("Keep")});
    table->horizontalHeader()->setStretchLastSection(false);
    table->horizontalHeader()->setSectionResizeMode(MineColumn, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(TheirsColumn, QHeaderView::Stretch);
    table->verticalHeader()->hide();
    table->setRowCount(int(conflicts.size()));
    for (int row = 0; row < conflicts.size(); ++row) {
        const SyncConflict &conflict = conflicts.at(row);
        const SyncRecord &theirs = conflict.remote;
        const QString when = QLocale().toString(
            (theirs.deviceLastModified.isValid() ? theirs.deviceLastModified : theirs.lastModified)
                .toLocalTime(),
            QLocale::ShortFormat);
        const QStringList cells{theirs.key,
                                RecordTableModel::preview(displayValue(conflict.local.record.value)),
                                RecordTableModel::preview(displayValue(theirs.value)),
                                tr("%1, %2").arg(writerText(theirs.lastModifiedBy), when), QString()};
        for (int column = 0; column < ColumnCount; ++column)
            table->setItem(row, column, new QTableWidgetItem(cells.at(column)));
        m_decisions << Decision{Choice::KeepMine, conflict.local.record.value.value_or(QString())};
        updateRow(row);
    }
    table->setWordWrap(false);
    table->resizeColumnToContents(KeyColumn);
    table->resizeColumnToContents(ChangedColumn);

    connect(table, &QTableWidget::currentCellChanged, this, [this](int row) {
        m_current = row;
        showCurrent();
    });
    for (QRadioButton *radio : {m_ui->keepMineRadio, m_ui->keepTheirsRadio, m_ui->mergeRadio})
        connect(radio, &QRadioButton::toggled, this, [this](bool on) {
            if (on)
                takeChoiceFromRadios();
        });
    connect(m_ui->mergedEdit, &QPlainTextEdit::textChanged, this, [this] {
        if (m_updating || m_current < 0)
            return;
        m_decisions[m_current].merged = m_ui->mergedEdit->toPlainText();
        if (!m_ui->mergeRadio->isChecked())
            m_ui->mergeRadio->setChecked(true); // typing in the merge editor chooses it
    });
    connect(m_ui->keepAllMineButton, &QPushButton::clicked, this, &ConflictDialog::keepAllMine);
    connect(m_ui->keepAllTheirsButton, &QPushButton::clicked, this, &ConflictDialog::keepAllTheirs);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setCurrentRow(conflicts.isEmpty() ? -1 : 0);
}

ConflictDialog::~ConflictDialog() = default;

QString ConflictDialog::displayValue(const std::optional<QString> &value)
{
    return value ? *value : tr("(deleted)");
}

void ConflictDialog::setCurrentRow(int row)
{
    m_ui->conflictTable->setCurrentCell(row, KeyColumn);
    m_current = row;
    showCurrent();
}

void ConflictDialog::showCurrent()
{
    const bool valid = m_current >= 0 && m_current < m_conflicts.size();
    for (QWidget *widget :
         {static_cast<QWidget *>(m_ui->keepMineRadio), static_cast<QWidget *>(m_ui->keepTheirsRadio),
          static_cast<QWidget *>(m_ui->mergeRadio), static_cast<QWidget *>(m_ui->mergedEdit)})
        widget->setEnabled(valid);
    if (!valid)
        return;
    m_updating = true;
    const SyncConflict &conflict = m_conflicts.at(m_current);
    const Decision &decision = m_decisions.at(m_current);
    m_ui->mineView->setPlainText(displayValue(conflict.local.record.value));
    m_ui->theirsView->setPlainText(displayValue(conflict.remote.value));
    m_ui->mergedEdit->setPlainText(decision.merged);
    (decision.choice == Choice::KeepMine     ? m_ui->keepMineRadio
     : decision.choice == Choice::KeepTheirs ? m_ui->keepTheirsRadio
                                             : m_ui->mergeRadio)
        ->setChecked(true);
    m_updating = false;
}

void ConflictDialog::takeChoiceFromRadios()
{
    if (m_updating || m_current < 0)
        return;
    Decision &decision = m_decisions[m_current];
    decision.choice = m_ui->keepMineRadio->isChecked()     ? Choice::KeepMine
                      : m_ui->keepTheirsRadio->isChecked() ? Choice::KeepTheirs
                                                           : Choice::Merged;
    updateRow(m_current);
}

void ConflictDialog::updateRow(int row)
{
    const Choice choice = m_decisions.at(row).choice;
    const QString text = choice == Choice::KeepMine     ? tr("Mine")
                         : choice == Choice::KeepTheirs ? tr("Theirs")
                                                        : tr("Merged");
    if (QTableWidgetItem *item = m_ui->conflictTable->item(row, ChoiceColumn))
        item->setText(text);
}

void ConflictDialog::choose(int row, Choice choice, const QString &merged)
{
    if (row < 0 || row >= m_decisions.size())
        return;
    m_decisions[row].choice = choice;
    if (choice == Choice::Merged)
        m_decisions[row].merged = merged;
    updateRow(row);
    if (row == m_current)
        showCurrent();
}

void ConflictDialog::keepAllMine()
{
    for (int row = 0; row < m_decisions.size(); ++row)
        choose(row, Choice::KeepMine);
}

void ConflictDialog::keepAllTheirs()
{
    for (int row = 0; row < m_decisions.size(); ++row)
        choose(row, Choice::KeepTheirs);
}

QList<ConflictResolution> ConflictDialog::resolutions() const
{
    QList<ConflictResolution> result;
    for (int row = 0; row < m_conflicts.size(); ++row) {
        const QString &key = m_conflicts.at(row).remote.key;
        const Decision &decision = m_decisions.at(row);
        switch (decision.choice) {
        case Choice::KeepMine:
            result << ConflictResolution::keepMine(key);
            break;
        case Choice::KeepTheirs:
            result << ConflictResolution::keepTheirs(key);
            break;
        case Choice::Merged:
            result << ConflictResolution::merged(key, decision.merged);
            break;
        }
    }
    return result;
}

} // namespace fedsync::ui
