#include "datasetlistmodel.h"

#include "sync/identitycard.h"

#include <QLocale>
#include <QSet>

namespace fedsync::ui {

DatasetListModel::DatasetListModel(DatasetWorkspace &workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
    connect(&m_workspace, &DatasetWorkspace::datasetsChanged, this, &DatasetListModel::reload);
    reload();
}

void DatasetListModel::reload()
{
    auto read = m_workspace.store().listDatasets();
    if (!read.ok()) {
        Q_EMIT storeError(read.error);
        return;
    }
    QList<LocalDataset> fresh;
    QSet<QString> names;
    // The identity card (fedsync.identity) is Fedsync's own, for support staff: not the user's to edit.
    for (const LocalDataset &dataset : IdentityCard::userDatasets(read.value)) {
        if (dataset.isPendingDelete())
            continue;
        fresh << dataset;
        names.insert(dataset.name);
    }
    // Same walk as RecordTableModel::reload(): both lists are in the store's name order.
    for (int row = int(m_datasets.size()) - 1; row >= 0; --row) {
        if (names.contains(m_datasets.at(row).name))
            continue;
        beginRemoveRows({}, row, row);
        m_datasets.removeAt(row);
        endRemoveRows();
    }
    for (int row = 0; row < fresh.size(); ++row) {
        if (row < m_datasets.size() && m_datasets.at(row).name == fresh.at(row).name) {
            const LocalDataset &old = m_datasets.at(row);
            if (old.recordCount != fresh.at(row).recordCount ||
                old.storageSizeBytes != fresh.at(row).storageSizeBytes) {
                m_datasets[row] = fresh.at(row);
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            } else {
                m_datasets[row] = fresh.at(row);
            }
            continue;
        }
        beginInsertRows({}, row, row);
        m_datasets.insert(row, fresh.at(row));
        endInsertRows();
    }
}

int DatasetListModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_datasets.size(); ++row) {
        if (m_datasets.at(row).name == name)
            return row;
    }
    return -1;
}

int DatasetListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_datasets.size());
}

int DatasetListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DatasetListModel::formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QVariant DatasetListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LocalDataset &dataset = m_datasets.at(index.row());
    switch (role) {
    case NameRole:
        return dataset.name;
    case SizeBytesRole:
        return dataset.storageSizeBytes;
    case RecordCountRole:
        return dataset.recordCount;
    case Qt::TextAlignmentRole:
        if (index.column() != NameColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::ToolTipRole:
        return tr("%1: %2 of %3 records, %4 of 1 MB")
            .arg(dataset.name)
            .arg(dataset.recordCount)
            .arg(LocalStore::MaxRecordsPerDataset)
            .arg(formatSize(dataset.storageSizeBytes));
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return dataset.name;
        case RecordsColumn:
            return QLocale().toString(dataset.recordCount);
        case SizeColumn:
            return formatSize(dataset.storageSizeBytes);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant DatasetListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Dataset");
    case RecordsColumn:
        return tr("Records");
    case SizeColumn:
        return tr("Size");
    default:
        return {};
    }
}

} // namespace fedsync::ui
