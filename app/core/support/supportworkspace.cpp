#include "support/supportworkspace.h"

#include "common/deliverlater.h"
#include "support/supportsession.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"
#include "sync/syncremote.h"

#include <QCoreApplication>
#include <QFile>

namespace fedsync::support {
SupportWorkspace::SupportWorkspace(SupportSession &session, QString identityId, AuditLog auditLog,
                                   QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_identityId(std::move(identityId))
    , m_audit(std::move(auditLog))
{}

SupportWorkspace::~SupportWorkspace()
{
    m_engine.reset();
    m_remote.reset();
    m_store.reset();
}

UserError SupportWorkspace::open()
{
    if (!m_dir.isValid())
        return UserError::make(QStringLiteral("support.workspace.io"),
                               tr("No temporary folder for the user's data"), m_dir.errorString(),
                               tr("Check that the temporary folder (TMPDIR) is writable"));
    QFile::setPermissions(m_dir.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    m_store = std::make_unique<LocalStore>(m_dir.filePath(QStringLiteral("identity.sqlite")));
    if (const UserError error = m_store->open(); error.isError())
        return error;
    m_remote = m_session.remoteFor(m_identityId);
    m_engine = std::make_unique<SyncEngine>(*m_store, *m_remote, QStringLiteral("fedsync-support"));
    connect(m_engine.get(), &SyncEngine::allFinished, this, [this](int, int failedCount) {
        if (failedCount == 0)
            Q_EMIT loaded();
    });
    connect(m_engine.get(), &SyncEngine::failed, this,
            [this](const QString &dataset, const UserError &error) {
                if (m_pushing.contains(dataset)) {
                    const auto keys = m_pushing.take(dataset);
                    const UserError shown = SupportSession::staffError(error);
                    audit(dataset, keys, shown.code.isEmpty() ? QStringLiteral("failed") : shown.code,
                          [this, dataset, shown] { Q_EMIT writeFailed(dataset, shown); });
                    return;
                }
                Q_EMIT failed(SupportSession::staffError(error));
            });
    connect(m_engine.get(), &SyncEngine::finished, this, [this](const QString &dataset, const SyncReport &) {
        if (!m_pushing.contains(dataset))
            return;
        const auto keys = m_pushing.take(dataset);
        audit(dataset, keys, QStringLiteral("ok"), [this, dataset, keys] {
            QStringList names;
            for (const auto &key : keys)
                names << key.first;
            Q_EMIT written(dataset, names);
        });
    });
    return {};
}

void SupportWorkspace::load()
{
    m_engine->synchronizeAll(ConflictPolicy::KeepTheirs);
}

void SupportWorkspace::loadDataset(const QString &dataset)
{
    m_engine->synchronize(dataset, ConflictPolicy::KeepTheirs);
}

void SupportWorkspace::put(const QString &dataset, const QString &key, const QString &value)
{
    if (const UserError error = m_store->putValue(dataset, key, value); error.isError()) {
        deliverLater(this, [this, dataset, error] { Q_EMIT writeFailed(dataset, error); });
        return;
    }
    push(dataset);
}

void SupportWorkspace::remove(const QString &dataset, const QString &key)
{
    if (const UserError error = m_store->removeValue(dataset, key); error.isError()) {
        deliverLater(this, [this, dataset, error] { Q_EMIT writeFailed(dataset, error); });
        return;
    }
    push(dataset);
}

void SupportWorkspace::push(const QString &dataset)
{
    const auto dirty = m_store->dirtyRecords(dataset);
    QList<std::pair<QString, QString>> keys = m_pushing.value(dataset);
    for (const LocalRecord &record : dirty.value) {
        const std::pair<QString, QString> entry{record.record.key, record.record.isRemoved()
                                                                       ? QStringLiteral("remove")
                                                                       : QStringLiteral("replace")};
        if (!keys.contains(entry))
            keys << entry;
    }
    m_pushing.insert(dataset, keys);
    // The staff's edit is deliberate: it wins over the user's copy if both changed.
    m_engine->synchronize(dataset, ConflictPolicy::KeepMine);
}

void SupportWorkspace::audit(const QString &dataset, const QList<std::pair<QString, QString>> &keys,
                             const QString &outcome, std::function<void()> then)
{
    m_session.whoAmI([this, dataset, keys, outcome, then](const QString &who, const UserError &) {
        for (const auto &key : keys) {
            AuditEntry entry;
            entry.time = QDateTime::currentDateTimeUtc();
            entry.who = who.isEmpty() ? tr("unknown staff member") : who;
            entry.identityId = m_identityId;
            entry.dataset = dataset;
            entry.key = key.first;
            entry.operation = key.second;
            entry.outcome = outcome;
            if (const UserError error = m_audit.append(entry); error.isError()) {
                Q_EMIT writeFailed(dataset, error);
                return;
            }
        }
        then();
    });
}

} // namespace fedsync::support
