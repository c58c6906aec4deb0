// The records of one dataset of a local store, as a table: key, a one-line preview of the value, when
// this device changed it, and whether the server has it yet. An edit through setData() is committed to
// the store at once; every change of the store (edits, undo, synchronization) reaches the rows through
// the workspace's announcements, as row insertions, removals and changes rather than resets.
#pragma once

#include "sync/datasetworkspace.h"

#include <QAbstractTableModel>

namespace fedsync::ui {

class RecordTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, ModifiedColumn, StateColumn, ColumnCount };
    enum Role {
        KeyRole = Qt::UserRole + 1, // the key, whatever the column
        ValueRole,                  // the whole value
        DirtyRole,                  // bool: changed here, not synchronized yet
        SearchRole,                 // key and value, for the filter
    };

    explicit RecordTableModel(DatasetWorkspace &workspace, QObject *parent = nullptr);

    // Shows `dataset` (empty: nothing).
    void setDataset(const QString &dataset);
    QString dataset() const { return m_dataset; }
    // Reads the records again, signalling only the rows that changed.
    void reload();

    int rowOf(const QString &key) const;
    const LocalRecord &recordAt(int row) const { return m_records.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // The value column takes a new value; it is saved in the store before this returns.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // A one-line preview of a value (newlines shown as ⏎, long values cut).
    static QString preview(const QString &value);

Q_SIGNALS:
    // setData() saved a value (for the undo history).
    void edited(const fedsync::DatasetWorkspace::Change &change);
    // The store refused or failed; nothing was changed.
    void storeError(const fedsync::UserError &error);

private:
    DatasetWorkspace &m_workspace;
    QString m_dataset;
    QList<LocalRecord> m_records; // live records, in the store's key order
};

} // namespace fedsync::ui
