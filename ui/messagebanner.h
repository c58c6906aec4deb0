// An inline banner above the content, for problems the user can recover from without a modal dialog:
// a UserError as "what. why. what to do", an optional action button, and a close button.
#pragma once

#include "common/usererror.h"

#include <QFrame>

class QLabel;
class QPushButton;
class QToolButton;

namespace fedsync::ui {

class MessageBanner final : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Information, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    void showError(const UserError &error, Kind kind = Kind::Error);
    // A button beside the text (hidden when `text` is empty); it emits actionTriggered().
    void setActionText(const QString &text);
    void setClosable(bool closable);
    QString text() const;
    Kind kind() const { return m_kind; }

    static QString formatError(const UserError &error);

Q_SIGNALS:
    void actionTriggered();

private:
    QLabel *m_text;
    QPushButton *m_action;
    QToolButton *m_close;
    Kind m_kind = Kind::Information;
};

} // namespace fedsync::ui
