// Shows a SyncController in the dataset editor's widgets: the Sync now / Cancel button, the progress
// bar, the status line, the offline banner (whose button tries again) and the error banner; asks the
// user to settle conflicts when the controller has some. The controller owns the sync lifecycle; this
// class only presents it.
#pragma once

#include "editorprompts.h"
#include "usecases/synccontroller.h"

#include <QObject>
#include <QPointer>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QWidget;

namespace fedsync::ui {

class MessageBanner;

class SyncPresenter final : public QObject
{
    Q_OBJECT
public:
    struct Widgets
    {
        QWidget *window;     // parent of the conflict dialog
        QAction *syncAction; // "Sync now" (its text and tooltip for the idle button)
        QPushButton *button;
        QProgressBar *progress;
        QLabel *status;
        MessageBanner *offlineBanner;
        MessageBanner *errorBanner;
    };

    SyncPresenter(SyncController &sync, EditorPrompts &prompts, Widgets widgets, QObject *parent = nullptr);

    // A line for the status label and the main window's status bar.
    void setStatus(const QString &text);
    // The button's face for the current state.
    void updateButton();

    // "receiving changes", "sending changes", ...
    static QString phaseText(SyncPhase phase);

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    void showOffline(bool offline, const UserError &reason);
    void showFinished(const SyncOutcome &outcome);

    SyncController &m_sync;
    EditorPrompts &m_prompts;
    Widgets m_w;
};

} // namespace fedsync::ui
