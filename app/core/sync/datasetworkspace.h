// The editing side of one local store, for an editor window: every edit is committed to the store at
// once (before any network call) and announced, so the views, the undo history and the store agree.
// Changes made by synchronization are announced too. It owns nothing: the store and the engine are
// passed in and must outlive it.
#pragma once

#include "sync/localstore.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace fedsync {

class BackgroundStoreWriter;
class SyncEngine;

class DatasetWorkspace final : public QObject
{
    Q_OBJECT
public:
    // One record's change as applied: undo writes `before` back, redo writes `after` (std::nullopt:
    // the record is absent).
    struct Change
    {
        QString dataset;
        QString key;
        std::optional<QString> before;
        std::optional<QString> after;
    };

    DatasetWorkspace(LocalStore &store, SyncEngine &engine, QObject *parent = nullptr);
    ~DatasetWorkspace() override;

    LocalStore &store() const { return m_store; }

    StoreResult<Change> setValue(const QString &dataset, const QString &key, const QString &value);
    StoreResult<Change> removeValue(const QString &dataset, const QString &key);
    // Puts the record back to `value` (std::nullopt removes it): what undo and redo do.
    UserError restore(const QString &dataset, const QString &key, const std::optional<QString> &value);
    // Whether setValue() would be accepted (key, size and record limits), without writing anything.
    UserError checkValue(const QString &dataset, const QString &key, const QString &value) const;
    // Saves all the records or none (import).
    UserError putValues(const QString &dataset, const QList<std::pair<QString, QString>> &records);
    // The same on a worker thread (BackgroundStoreWriter), so that the window does not stall: `done` is
    // called on this thread with the outcome, after datasetChanged()/datasetsChanged() on success. Not
    // called when the workspace is destroyed first (its destructor waits for the write to end).
    void putValuesInBackground(const QString &dataset, const QList<std::pair<QString, QString>> &records,
                               std::function<void(const UserError &)> done);
    // Background writes asked and not delivered yet.
    bool isWritingInBackground() const;

    UserError createDataset(const QString &name);
    // Marks it deleted; the next synchronization deletes it on the server.
    UserError deleteDataset(const QString &name);

Q_SIGNALS:
    void recordChanged(const QString &dataset, const QString &key);
    // Any number of records of `dataset` may have changed (synchronization, import).
    void datasetChanged(const QString &dataset);
    // Datasets appeared, disappeared or changed size.
    void datasetsChanged();

private:
    StoreResult<Change> write(const QString &dataset, const QString &key,
                              const std::optional<QString> &value);
    void announceSync(const QString &dataset);

    LocalStore &m_store;
    std::unique_ptr<BackgroundStoreWriter> m_writer; // made on first use
};

} // namespace fedsync

Q_DECLARE_METATYPE(fedsync::DatasetWorkspace::Change)
