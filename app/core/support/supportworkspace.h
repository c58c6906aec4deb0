// One identity's datasets opened for support: a private local store (a temporary folder, 0700, gone
// when the workspace goes) filled by the same SyncEngine the app uses, over the remote of the profile's
// store (SupportSession::remoteFor: Cognito Sync or the DynamoDB table) signed with the staff's
// credentials. The console shows its records read-only (in the editor's table model);
// in "Edit as support" mode a write goes into the store and is pushed by the engine, and every key
// written is appended to the audit log (who, when, identity, dataset, key; never the value).
#pragma once

#include "common/usererror.h"
#include "support/auditlog.h"

#include <QObject>
#include <QTemporaryDir>

#include <memory>

namespace fedsync {
class LocalStore;
class SyncEngine;
class SyncRemote;
} // namespace fedsync

namespace fedsync::support {

class SupportSession;

class SupportWorkspace final : public QObject
{
    Q_OBJECT
public:
    SupportWorkspace(SupportSession &session, QString identityId, AuditLog auditLog,
                     QObject *parent = nullptr);
    ~SupportWorkspace() override;

    QString identityId() const { return m_identityId; }
    LocalStore &store() const { return *m_store; }
    SyncEngine &engine() const { return *m_engine; }

    // Opens the private store; then load() pulls every dataset (loaded() or failed() follows).
    UserError open();
    void load();
    // Pulls one dataset only.
    void loadDataset(const QString &dataset);

    // A support write: saved in the private store, pushed by the engine (the staff's value wins over
    // the user's), then audited. written() or writeFailed() follows.
    void put(const QString &dataset, const QString &key, const QString &value);
    void remove(const QString &dataset, const QString &key);
    // Pushes what was edited in the store directly (the console's edit mode), auditing each key.
    void push(const QString &dataset);

Q_SIGNALS:
    void loaded();
    void failed(const fedsync::UserError &error);
    void written(const QString &dataset, const QStringList &keys);
    void writeFailed(const QString &dataset, const fedsync::UserError &error);

private:
    void audit(const QString &dataset, const QList<std::pair<QString, QString>> &keys, const QString &outcome,
               std::function<void()> then);

    SupportSession &m_session;
    const QString m_identityId;
    AuditLog m_audit;
    QTemporaryDir m_dir;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<SyncRemote> m_remote;
    std::unique_ptr<SyncEngine> m_engine;
    QHash<QString, QList<std::pair<QString, QString>>> m_pushing; // dataset -> (key, op) being pushed
};

} // namespace fedsync::support
