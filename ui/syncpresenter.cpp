#include "syncpresenter.h"

#include "log/logcategories.h"
#include "messagebanner.h"

#include <QAction>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTime>

namespace fedsync::ui {

QString SyncPresenter::phaseText(SyncPhase phase)
{
    switch (phase) {
    case SyncPhase::DeletingRemote:
        return tr("deleting on the server");
    case SyncPhase::Pulling:
        return tr("receiving changes");
    case SyncPhase::Merging:
        return tr("saving received changes");
    case SyncPhase::WaitingForResolution:
        return tr("waiting for your decision on conflicts");
    case SyncPhase::Pushing:
        return tr("sending changes");
    }
    return {};
}

SyncPresenter::SyncPresenter(SyncController &sync, EditorPrompts &prompts, Widgets widgets, QObject *parent)
    : QObject(parent)
    , m_sync(sync)
    , m_prompts(prompts)
    , m_w(widgets)
{
    m_w.progress->hide();
    m_w.offlineBanner->setActionText(tr("Try again"));
    m_w.offlineBanner->setClosable(false);
    connect(m_w.offlineBanner, &MessageBanner::actionTriggered, this, [this] {
        if (!m_sync.isSyncing())
            m_sync.syncNow();
    });
    connect(m_w.button, &QPushButton::clicked, m_w.syncAction, &QAction::trigger);

    connect(&m_sync, &SyncController::started, this, [this] {
        m_w.errorBanner->hide();
        m_w.progress->setRange(0, 0);
        m_w.progress->show();
        setStatus(tr("Synchronizing…"));
        updateButton();
    });
    connect(&m_sync, &SyncController::progress, this,
            [this](const QString &dataset, SyncPhase phase, int done, int total) {
                m_w.progress->setRange(0, std::max(total, 0));
                m_w.progress->setValue(total > 0 ? done : 0);
                setStatus(tr("Synchronizing “%1”: %2…").arg(dataset, phaseText(phase)));
            });
    connect(&m_sync, &SyncController::conflictsToResolve, this,
            [this](const QString &dataset, const QList<SyncConflict> &conflicts) {
                QPointer<SyncController> controller(&m_sync);
                m_prompts.resolveConflicts(
                    m_w.window, dataset, conflicts,
                    [controller, dataset](const std::optional<QList<ConflictResolution>> &resolutions) {
                        if (controller)
                            controller->resolveConflicts(dataset, resolutions);
                    });
            });
    connect(&m_sync, &SyncController::offlineChanged, this, &SyncPresenter::showOffline);
    connect(&m_sync, &SyncController::datasetFailed, this,
            [this](const QString &, const UserError &error, bool unreachable) {
                qCInfo(lcUi) << "sync error:" << error.code << "unreachable:" << unreachable;
                if (!unreachable) // the offline banner says it
                    m_w.errorBanner->showError(error);
            });
    connect(&m_sync, &SyncController::finished, this, &SyncPresenter::showFinished);
    if (m_sync.isOffline())
        showOffline(true, m_sync.offlineReason());
    updateButton();
}

void SyncPresenter::setStatus(const QString &text)
{
    m_w.status->setTextFormat(Qt::PlainText); // may quote a server's error
    m_w.status->setText(text);
    Q_EMIT statusMessage(text);
}

void SyncPresenter::updateButton()
{
    const bool syncing = m_sync.isSyncing();
    m_w.button->setText(syncing ? tr("Cancel") : m_w.syncAction->text());
    m_w.button->setToolTip(syncing ? tr("Stop synchronizing; your edits stay pending")
                                   : m_w.syncAction->toolTip());
}

void SyncPresenter::showOffline(bool offline, const UserError &reason)
{
    if (!offline) {
        m_w.offlineBanner->hide(); // the server answered
        return;
    }
    m_w.offlineBanner->showMessage(MessageBanner::Kind::Warning,
                                   tr("<b>Working offline.</b> %1. Your edits are kept on this computer "
                                      "and will be synchronized when the server can be reached again.")
                                       .arg(reason.what.toHtmlEscaped()));
}

void SyncPresenter::showFinished(const SyncOutcome &outcome)
{
    m_w.progress->hide();
    updateButton();
    const int failed = int(outcome.failedDatasets.size());
    if (outcome.ok())
        setStatus(
            tr("Synchronized at %1.").arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
    else if (outcome.cancelled)
        setStatus(tr("Synchronization cancelled. Your edits are kept and will be sent next time."));
    else if (outcome.offline)
        setStatus(tr("Offline. Your edits are kept on this computer and sent once the server answers."));
    else if (failed > 0)
        setStatus(tr("Datasets not synchronized: %1. Your edits are kept on this computer.").arg(failed));
    else if (!outcome.stoppedDatasets.isEmpty())
        setStatus(tr("Datasets not synchronized: %1. Your edits are kept on this computer.")
                      .arg(outcome.stoppedDatasets.size()));
    else
        setStatus(tr("The list of datasets could not be fetched. Your edits are kept on this computer."));
}

} // namespace fedsync::ui
