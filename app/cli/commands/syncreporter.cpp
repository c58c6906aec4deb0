#include "syncreporter.h"

#include "cliapp.h"
#include "session/userdatasets.h"
#include "sync/localstore.h"
#include "usecases/synccontroller.h"

#include <QCoreApplication>

namespace fedsync::cli {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync-cli", text);
}

QString quoted(const std::optional<QString> &value)
{
    if (!value)
        return tr("(removed)");
    QString text = *value;
    if (text.size() > 60)
        text = text.left(60) + QStringLiteral("…");
    return QStringLiteral("“%1”").arg(text);
}

QString describe(const SyncReport &report)
{
    if (report.deletedLocally)
        return tr("%1: deleted on the server").arg(report.dataset);
    QStringList parts;
    if (report.deletedRemotely)
        parts << tr("deleted on another device");
    if (report.pulled > 0)
        parts << tr("received %1").arg(report.pulled);
    if (report.pushed > 0)
        parts << tr("sent %1").arg(report.pushed);
    if (report.conflicts > 0)
        parts << tr("%1 conflict(s), %2 unresolved").arg(report.conflicts).arg(report.unresolved);
    if (!report.heldBack.isEmpty())
        parts << tr("%1 change(s) kept on this device").arg(report.heldBack.size());
    if (parts.isEmpty())
        parts << tr("up to date");
    return QStringLiteral("%1: %2").arg(report.dataset, parts.join(QStringLiteral(", ")));
}

} // namespace

void reportSync(CliApp &app, const std::shared_ptr<UserDatasets> &session, SyncController &sync)
{
    struct Totals
    {
        int failed = 0;      // datasets that failed for a reason other than the service
        int unavailable = 0; // the service was unreachable or busy
    };
    auto totals = std::make_shared<Totals>();
    QObject::connect(&sync, &SyncController::conflictsFound, &app,
                     [&app](const QString &dataset, const QList<SyncConflict> &conflicts) {
                         for (const SyncConflict &conflict : conflicts)
                             app.err() << tr("conflict: %1/%2: this device %3, the server %4")
                                              .arg(dataset, conflict.remote.key,
                                                   quoted(conflict.local.record.value),
                                                   quoted(conflict.remote.value))
                                       << Qt::endl;
                     });
    QObject::connect(&sync, &SyncController::datasetSynchronized, &app,
                     [&app, session, totals](const SyncReport &report) {
                         const auto local = session->store().dataset(report.dataset);
                         if (local.ok() && !local.value && !report.deletedLocally &&
                             !report.deletedRemotely && report.pulled == 0 && report.pushed == 0) {
                             ++totals->failed;
                             app.err() << tr("fedsync-cli: there is no dataset “%1” on this device or "
                                             "the server")
                                              .arg(report.dataset)
                                       << Qt::endl;
                             return;
                         }
                         app.out() << describe(report) << Qt::endl;
                         if (!report.heldBack.isEmpty()) {
                             ++totals->failed;
                             app.err() << tr("fedsync-cli: %1").arg(report.heldBackReason.text()) << Qt::endl;
                         }
                     });
    QObject::connect(&sync, &SyncController::datasetFailed, &app,
                     [&app, totals](const QString &dataset, const UserError &failure, bool unreachable) {
                         ++(unreachable ? totals->unavailable : totals->failed);
                         app.err() << (dataset.isEmpty()
                                           ? tr("fedsync-cli: %1").arg(failure.text())
                                           : tr("fedsync-cli: %1: %2").arg(dataset, failure.text()))
                                   << Qt::endl;
                         if (!failure.details.isEmpty())
                             app.err() << tr("  details: %1").arg(failure.details) << Qt::endl;
                     });
    QObject::connect(&sync, &SyncController::finished, &app, [&app, totals](const SyncOutcome &outcome) {
        if (outcome.unresolved > 0)
            app.err() << tr("fedsync-cli: %1 conflict(s) left unresolved; settle "
                            "them with fedsync-cli sync --policy "
                            "mine|theirs|newest")
                             .arg(outcome.unresolved)
                      << Qt::endl;
        if (!outcome.stoppedDatasets.isEmpty())
            app.err() << tr("fedsync-cli: %1 other dataset(s) were not synchronized this time; "
                            "their changes stay on this device")
                             .arg(outcome.stoppedDatasets.size())
                      << Qt::endl;
        // A real failure first, then "try again later", then conflicts (see ExitCode).
        int code = Ok;
        if (totals->failed > 0)
            code = Failed;
        else if (totals->unavailable > 0 || outcome.offline)
            code = Unavailable;
        else if (outcome.unresolved > 0)
            code = Conflicts;
        app.finish(code);
    });
}

} // namespace fedsync::cli
