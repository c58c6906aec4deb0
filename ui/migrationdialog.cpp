#include "migrationdialog.h"
#include "common/errorcodes.h"

#include "config/endpointresolver.h"
#include "config/profile.h"
#include "session/profilecontext.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace fedsync::ui {

MigrationDialog::MigrationDialog(ProfileContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
{
    setWindowTitle(tr("Migrate from Cognito Sync"));
    const CognitoSettings &c = context.profile().cognito;
    const EndpointResolver resolver;
    const QString source = resolver.resolve(AwsService::CognitoSync, c).url.toString();
    const QString target = resolver.resolve(AwsService::DynamoDb, c).url.toString();

    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("intro"));
    m_intro->setWordWrap(true);
    m_intro->setTextFormat(Qt::RichText);
    m_intro->setText(
        tr("<p>Copies your datasets from Amazon Cognito Sync (%1) into this profile's DynamoDB table "
           "<b>%2</b> (%3).</p><ul>"
           "<li>Cognito Sync is only read: nothing there is changed or deleted.</li>"
           "<li>Only what DynamoDB lacks is copied, values and removals alike. Records it already holds, or "
           "that changed there since, are kept as they are.</li>"
           "<li>You can stop at any time: what was copied stays, and running it again goes on from "
           "there.</li></ul>")
            .arg(source.toHtmlEscaped(), c.dynamoDbTable.toHtmlEscaped(), target.toHtmlEscaped()));

    m_status = new QLabel(tr("Ready to copy."), this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v of %m datasets"));
    m_report = new QPlainTextEdit(this);
    m_report->setObjectName(QStringLiteral("report"));
    m_report->setReadOnly(true);
    m_report->setPlaceholderText(tr("The report appears here."));
    m_report->setTabChangesFocus(true);

    auto *buttons = new QDialogButtonBox(this);
    buttons->setObjectName(QStringLiteral("buttons"));
    m_startButton = buttons->addButton(tr("&Start copying"), QDialogButtonBox::ActionRole);
    m_startButton->setObjectName(QStringLiteral("startButton"));
    m_startButton->setDefault(true);
    m_closeButton = buttons->addButton(tr("&Close"), QDialogButtonBox::RejectRole);
    m_closeButton->setObjectName(QStringLiteral("closeButton"));
    connect(m_startButton, &QPushButton::clicked, this, &MigrationDialog::start);
    connect(buttons, &QDialogButtonBox::rejected, this, &MigrationDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_report, 1);
    layout->addWidget(buttons);
    resize(560, 420);
}

MigrationDialog::~MigrationDialog() = default;

QString MigrationDialog::reportText() const
{
    return m_report->toPlainText();
}

QString MigrationDialog::statusText() const
{
    return m_status->text();
}

void MigrationDialog::setState(State state)
{
    m_state = state;
    const bool busy = state == State::Preparing || state == State::Running;
    m_startButton->setEnabled(!busy);
    m_startButton->setText(state == State::Ready ? tr("&Start copying") : tr("&Run again"));
    m_closeButton->setText(busy ? tr("&Cancel") : tr("&Close"));
    (busy ? m_closeButton : m_startButton)->setFocus();
}

void MigrationDialog::start()
{
    if (m_state == State::Preparing || m_state == State::Running)
        return;
    m_migration.reset();
    m_datasetsStarted = 0;
    m_report->clear();
    m_progress->setRange(0, 0); // busy until the datasets are listed
    m_status->setText(tr("Getting your AWS credentials…"));
    setState(State::Preparing);
    CognitoSyncMigration::prepare(
        m_context, this, [this](std::unique_ptr<CognitoSyncMigration> migration, const UserError &error) {
            if (m_state != State::Preparing)
                return; // cancelled meanwhile
            if (!migration)
                return showFailure(error);
            m_migration = std::move(migration);
            connect(m_migration.get(), &CognitoSyncMigration::progress, this,
                    [this](const QString &dataset, int index, int total) {
                        m_datasetsStarted = index + 1;
                        m_progress->setRange(0, total);
                        m_progress->setValue(index);
                        m_status->setText(
                            tr("Copying “%1” (%2 of %3)…").arg(dataset).arg(index + 1).arg(total));
                    });
            connect(m_migration.get(), &CognitoSyncMigration::failed, this, &MigrationDialog::showFailure);
            connect(m_migration.get(), &CognitoSyncMigration::finished, this,
                    [this](const CognitoSyncMigration::Report &report) {
                        m_progress->setRange(0, qMax(1, int(report.datasets.size())));
                        m_progress->setValue(m_progress->maximum());
                        m_report->setPlainText(describe(report));
                        m_status->setText(report.datasets.isEmpty() ? tr("Nothing to copy.")
                                          : report.nothingCopied()
                                              ? tr("Nothing to copy: already migrated.")
                                              : tr("Done: %n record(s) copied.", nullptr, report.written()));
                        setState(State::Finished);
                        Q_EMIT ended(!report.nothingCopied());
                    });
            m_status->setText(tr("Reading your Cognito Sync datasets…"));
            setState(State::Running);
            m_migration->start();
        });
}

void MigrationDialog::cancel()
{
    if (m_state == State::Preparing) {
        m_progress->setRange(0, 1);
        m_status->setText(tr("Stopped before anything was copied."));
        m_report->setPlainText(tr("Nothing was copied. Start again when you are ready."));
        setState(State::Cancelled);
        Q_EMIT ended(false);
        return;
    }
    if (m_state == State::Running && m_migration)
        m_migration->cancel(); // ends in failed(migrate.cancelled), synchronously
}

void MigrationDialog::showFailure(const UserError &error)
{
    const bool cancelled = error.code == errorcode::MigrateCancelled;
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    QStringList lines;
    if (cancelled) {
        m_status->setText(tr("Stopped."));
        lines << tr("The migration was stopped. What was copied so far stays in DynamoDB; Cognito Sync was "
                    "not changed. Run it again to go on from there.");
    } else {
        m_status->setText(tr("The migration did not finish."));
        lines << error.what;
        if (!error.why.isEmpty())
            lines << error.why;
        if (!error.action.isEmpty())
            lines << error.action;
        lines << tr("Cognito Sync was not changed; what was copied so far stays in DynamoDB.");
    }
    m_report->setPlainText(lines.join(QLatin1Char('\n')));
    setState(cancelled ? State::Cancelled : State::Failed);
    Q_EMIT ended(m_datasetsStarted > 0);
}

void MigrationDialog::reject()
{
    // Escape and Cancel stop a run first; the dialog closes once nothing runs.
    if (m_state == State::Preparing || m_state == State::Running)
        return cancel();
    QDialog::reject();
}

QString MigrationDialog::describe(const CognitoSyncMigration::Report &report)
{
    QStringList lines;
    if (report.datasets.isEmpty())
        return tr("Cognito Sync holds no datasets for you: nothing to copy.");
    for (const CognitoSyncMigration::DatasetReport &d : report.datasets) {
        lines << tr("“%1”: %2 value(s) and %3 removal(s) copied, %4 already there; %5 record(s) (%6 bytes) "
                    "in DynamoDB, %7 record(s) (%8 bytes) in Cognito Sync%9")
                     .arg(d.name)
                     .arg(d.copied)
                     .arg(d.removalsCopied)
                     .arg(d.alreadyThere)
                     .arg(d.targetRecords)
                     .arg(d.targetBytes)
                     .arg(d.sourceRecords)
                     .arg(d.sourceBytes)
                     .arg(d.verified ? tr(" — verified") : tr(" — not verified"));
        if (!d.keptInTarget.isEmpty())
            lines << tr("    kept as DynamoDB has them (changed there since): %1")
                         .arg(d.keptInTarget.join(QStringLiteral(", ")));
    }
    lines << QString();
    if (report.nothingCopied())
        lines << tr("Nothing to copy: already migrated. DynamoDB already holds every record.");
    else
        lines << tr("Copied %n record(s); counts and sizes match. Cognito Sync was not changed.", nullptr,
                    report.written());
    return lines.join(QLatin1Char('\n'));
}

} // namespace fedsync::ui
