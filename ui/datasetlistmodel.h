// The datasets of a local store with their record count and size, by name. Datasets deleted on this
// device (the deletion not yet sent) are left out: for the user they are gone.
#pragma once

#include "sync/datasetworkspace.h"

#include <QAbstractTableModel>

namespace fedsync::ui {

class DatasetListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, RecordsColumn, SizeColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, SizeBytesRole, RecordCountRole };

    explicit DatasetListModel(DatasetWorkspace &workspace, QObject *parent = nullptr);

    // Reads the datasets again, signalling only the rows that changed.
    void reload();
    int rowOf(const QString &name) const;
    const LocalDataset &datasetAt(int row) const { return m_datasets.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString formatSize(qint64 bytes);

Q_SIGNALS:
    void storeError(const fedsync::UserError &error);

private:
    DatasetWorkspace &m_workspace;
    QList<LocalDataset> m_datasets;
};

} // namespace fedsync::ui
