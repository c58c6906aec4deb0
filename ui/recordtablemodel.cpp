#include "recordtablemodel.h"

#include <QFont>
#include <QLocale>
#include <QSet>

namespace fedsync::ui {

namespace {

bool sameRow(const LocalRecord &a, const LocalRecord &b)
{
    return a.record.value == b.record.value && a.dirty == b.dirty &&
           a.record.deviceLastModified == b.record.deviceLastModified &&
           a.record.lastModified == b.record.lastModified &&
           a.record.lastModifiedBy == b.record.lastModifiedBy && a.record.syncCount == b.record.syncCount;
}

} // namespace

RecordTableModel::RecordTableModel(DatasetWorkspace &workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
    connect(&m_workspace, &DatasetWorkspace::recordChanged, this, [this](const QString &dataset) {
        if (dataset == m_dataset)
            reload();
    });
    connect(&m_workspace, &DatasetWorkspace::datasetChanged, this, [this](const QString &dataset) {
        if (dataset == m_dataset)
            reload();
    });
}

void RecordTableModel::setDataset(const QString &dataset)
{
    if (dataset == m_dataset)
        return;
    beginResetModel();
    m_dataset = dataset;
    m_records.clear();
    endResetModel();
    reload();
}

void RecordTableModel::reload()
{
    QList<LocalRecord> fresh;
    if (!m_dataset.isEmpty()) {
        auto read = m_workspace.store().records(m_dataset);
        if (!read.ok()) {
            Q_EMIT storeError(read.error);
            return;
        }
        fresh = std::move(read.value);
    }
    QSet<QString> freshKeys;
    for (const LocalRecord &record : std::as_const(fresh))
        freshKeys.insert(record.record.key);
    // Both lists are in the store's key order: drop the rows that went, then walk the new list,
    // inserting the rows that came and refreshing those that changed.
    for (int row = int(m_records.size()) - 1; row >= 0; --row) {
        if (freshKeys.contains(m_records.at(row).record.key))
            continue;
        beginRemoveRows({}, row, row);
        m_records.removeAt(row);
        endRemoveRows();
    }
    for (int row = 0; row < fresh.size(); ++row) {
        if (row < m_records.size() && m_records.at(row).record.key == fresh.at(row).record.key) {
            if (!sameRow(m_records.at(row), fresh.at(row))) {
                m_records[row] = fresh.at(row);
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            continue;
        }
        beginInsertRows({}, row, row);
        m_records.insert(row, fresh.at(row));
        endInsertRows();
    }
}

int RecordTableModel::rowOf(const QString &key) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).record.key == key)
            return row;
    }
    return -1;
}

int RecordTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int RecordTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RecordTableModel::preview(const QString &value)
{
    constexpr int MaxPreview = 120;
    QString line = value;
    line.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    line.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    line.replace(QLatin1Char('\t'), QLatin1Char(' '));
    if (line.size() > MaxPreview)
        line = line.left(MaxPreview) + QStringLiteral("…");
    return line;
}

QVariant RecordTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LocalRecord &local = m_records.at(index.row());
    const SyncRecord &record = local.record;
    switch (role) {
    case KeyRole:
        return record.key;
    case ValueRole:
        return record.value.value_or(QString());
    case DirtyRole:
        return local.dirty;
    case SearchRole:
        return QString(record.key + QLatin1Char('\n') + record.value.value_or(QString()));
    case Qt::FontRole:
        if (local.dirty) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::EditRole:
        if (index.column() == ValueColumn)
            return record.value.value_or(QString());
        break;
    case Qt::ToolTipRole:
        if (index.column() == StateColumn || index.column() == ModifiedColumn) {
            if (!record.lastModified.isValid())
                return tr("Never synchronized");
            return tr("Last written on the server on %1 by %2")
                .arg(QLocale().toString(record.lastModified.toLocalTime(), QLocale::ShortFormat),
                     record.lastModifiedBy);
        }
        if (index.column() == ValueColumn)
            return preview(record.value.value_or(QString()).left(1000));
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case KeyColumn:
        return record.key;
    case ValueColumn:
        return preview(record.value.value_or(QString()));
    case ModifiedColumn:
        return record.deviceLastModified.isValid()
                   ? QLocale().toString(record.deviceLastModified.toLocalTime(), QLocale::ShortFormat)
                   : QString();
    case StateColumn:
        return local.dirty ? tr("Not synced") : tr("Synced");
    default:
        return {};
    }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    case ModifiedColumn:
        return tr("Modified");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

Qt::ItemFlags RecordTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == ValueColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool RecordTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || index.column() != ValueColumn ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString key = m_records.at(index.row()).record.key;
    const QString text = value.toString();
    if (m_records.at(index.row()).record.value == text)
        return true;
    const auto result = m_workspace.setValue(m_dataset, key, text);
    if (!result.ok()) {
        Q_EMIT storeError(result.error);
        return false;
    }
    // The workspace's announcement has refreshed the row already.
    Q_EMIT edited(result.value);
    return true;
}

} // namespace fedsync::ui
