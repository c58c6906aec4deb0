#include "messagebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace fedsync::ui {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_close(new QToolButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_action->setObjectName(QStringLiteral("bannerAction"));
    m_action->hide();
    m_close->setObjectName(QStringLiteral("bannerClose"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close this message"));
    connect(m_action, &QPushButton::clicked, this, &MessageBanner::actionTriggered);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString &text)
{
    m_kind = kind;
    // Soft backgrounds that keep the palette's text color readable in light and dark themes.
    QColor tint = kind == Kind::Error     ? QColor(220, 60, 50)
                  : kind == Kind::Warning ? QColor(230, 160, 30)
                                          : QColor(60, 130, 220);
    QPalette pal = palette();
    QColor base = pal.color(QPalette::Window);
    const auto mix = [&](int a, int b) {
        return (a * 3 + b) / 4;
    };
    pal.setColor(QPalette::Window, QColor(mix(base.red(), tint.red()), mix(base.green(), tint.green()),
                                          mix(base.blue(), tint.blue())));
    setPalette(pal);
    m_text->setText(text);
    show();
}

QString MessageBanner::formatError(const UserError &error)
{
    QString text = QStringLiteral("<b>%1</b>").arg(error.what.toHtmlEscaped());
    if (!error.why.isEmpty())
        text += QStringLiteral("<br>") + error.why.toHtmlEscaped();
    if (!error.action.isEmpty())
        text += QStringLiteral("<br><i>%1</i>").arg(error.action.toHtmlEscaped());
    return text;
}

void MessageBanner::showError(const UserError &error, Kind kind)
{
    showMessage(kind, formatError(error));
}

void MessageBanner::setActionText(const QString &text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
}

void MessageBanner::setClosable(bool closable)
{
    m_close->setVisible(closable);
}

QString MessageBanner::text() const
{
    return m_text->text();
}

} // namespace fedsync::ui
