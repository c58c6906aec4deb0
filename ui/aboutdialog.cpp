#include "aboutdialog.h"

#include "buildinfo.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

namespace fedsync::ui {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Fedsync"));

    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/fedsync.svg")).pixmap(64, 64));

    auto *name = new QLabel(QStringLiteral("<h2>Fedsync</h2>"), this);
    m_version = new QLabel(tr("Version %1").arg(QString::fromLatin1(buildinfo::version)), this);
    m_version->setObjectName(QStringLiteral("versionLabel"));
    m_version->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *text = new QLabel(tr("Sign in with Auth0, get Amazon Cognito credentials, and keep your "
                               "per-user datasets in sync.\n\nBuilt with Qt %1, running on Qt %2.")
                                .arg(QString::fromLatin1(QT_VERSION_STR), QString::fromLatin1(qVersion())),
                            this);
    text->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *column = new QVBoxLayout;
    column->addWidget(name);
    column->addWidget(m_version);
    column->addWidget(text);
    auto *row = new QHBoxLayout;
    row->addWidget(icon, 0, Qt::AlignTop);
    row->addLayout(column, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    setMinimumWidth(380);
}

QString AboutDialog::versionText() const
{
    return m_version->text();
}

} // namespace fedsync::ui
