#include "doctordialog.h"

#include "aws/credentialchain.h"
#include "inspect/setupdoctor.h"
#include "session/signinstate.h"
#include "session/profilecontext.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace fedsync::ui {

DoctorDialog::DoctorDialog(ProfileContext *context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_findings(new QTreeWidget)
    , m_progress(new QProgressBar)
    , m_commands(new QPlainTextEdit)
    , m_again(new QPushButton(tr("Check &again")))
{
    setWindowTitle(tr("Check setup"));
    setModal(false);
    m_findings->setColumnCount(3);
    m_findings->setHeaderLabels({tr("Status"), tr("Check"), tr("Finding")});
    m_findings->setRootIsDecorated(true);
    m_findings->setWordWrap(true);
    m_findings->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_findings->setAccessibleName(tr("Findings"));
    m_commands->setReadOnly(true);
    m_commands->setMaximumHeight(140);
    m_commands->setAccessibleName(tr("AWS setup commands"));
    m_progress->setRange(0, SetupDoctor::StepCount);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_again, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_progress);
    layout->addWidget(m_findings, 1);
    auto *commandsLabel = new QLabel(tr("AWS &commands for this profile:"));
    commandsLabel->setBuddy(m_commands);
    layout->addWidget(commandsLabel);
    layout->addWidget(m_commands);
    layout->addWidget(buttons);
    resize(860, 560);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_again, &QPushButton::clicked, this, &DoctorDialog::start);
}

DoctorDialog::~DoctorDialog() = default;

void DoctorDialog::start()
{
    if (m_doctor) {
        m_doctor->cancel();
        m_doctor->deleteLater();
    }
    m_findings->clear();
    m_commands->clear();
    if (!m_context)
        return;
    SetupDoctor::Options options;
    if (m_context->session()->isSignedIn())
        options.idToken = m_context->session()->idToken();
    const aws::CredentialChain chain(QProcessEnvironment::systemEnvironment(), QDir::homePath());
    const aws::CredentialChain::Result staff = chain.resolve();
    if (!staff.error.isError()) {
        options.staffCredentials = staff.credentials;
        options.staffCredentialsOrigin = staff.origin;
    }
    m_doctor = new SetupDoctor(m_context->profile(), m_context->network(), options, this);
    m_again->setEnabled(false);
    connect(m_doctor, &SetupDoctor::findingAdded, this, &DoctorDialog::addFinding);
    connect(m_doctor, &SetupDoctor::progress, m_progress,
            [this](int done, int) { m_progress->setValue(done); });
    connect(m_doctor, &SetupDoctor::finished, this, [this] {
        m_again->setEnabled(true);
        QString text;
        if (!m_doctor->thumbprint().isEmpty())
            text += tr("# IAM OIDC thumbprint: %1\n").arg(m_doctor->thumbprint());
        for (const SetupCommand &c : m_doctor->commands())
            text += QStringLiteral("# %1\n%2\n").arg(c.purpose, c.command);
        m_commands->setPlainText(text);
        Q_EMIT checksFinished();
    });
    m_doctor->start();
}

void DoctorDialog::addFinding(const DoctorFinding &finding)
{
    auto *item = new QTreeWidgetItem(m_findings);
    item->setText(0, DoctorFinding::statusName(finding.status).toUpper());
    item->setText(1, finding.id);
    item->setText(2, finding.message);
    item->setToolTip(2, finding.message);
    const QColor colour = finding.status == DoctorFinding::Status::Pass   ? QColor(0x2e, 0x7d, 0x32)
                          : finding.status == DoctorFinding::Status::Warn ? QColor(0xe6, 0x8a, 0x00)
                                                                          : QColor(0xc6, 0x28, 0x28);
    item->setForeground(0, colour);
    if (!finding.fix.isEmpty()) {
        auto *fix = new QTreeWidgetItem(item);
        fix->setText(1, tr("fix"));
        fix->setText(2, finding.fix);
        fix->setToolTip(2, finding.fix);
        item->setExpanded(true);
    }
}

} // namespace fedsync::ui
