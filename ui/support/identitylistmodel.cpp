#include "support/identitylistmodel.h"

#include "support/identityindex.h"
#include "support/supportsession.h"

#include <QLocale>
#include <QPointer>

namespace fedsync::ui {

IdentityListModel::IdentityListModel(support::SupportSession &session, support::IdentityIndex *index,
                                     QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_index(index)
{}

int IdentityListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IdentityListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IdentityListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const support::FoundIdentity &row = m_rows.at(index.row());
    if (role == IdentityIdRole)
        return row.identity.identityId;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    auto time = [](const QDateTime &t) {
        return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
    };
    switch (index.column()) {
    case IdentityColumn:
        return row.identity.identityId;
    case LoginsColumn:
        return row.identity.logins.join(QStringLiteral(", "));
    case CreatedColumn:
        return time(row.identity.created);
    case ModifiedColumn:
        return time(row.identity.lastModified);
    case EmailColumn:
        return row.card.email;
    case NameColumn:
        return row.card.name;
    default:
        return {};
    }
}

QVariant IdentityListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdentityColumn:
        return tr("Identity id");
    case LoginsColumn:
        return tr("Linked logins");
    case CreatedColumn:
        return tr("Created");
    case ModifiedColumn:
        return tr("Last modified");
    case EmailColumn:
        return tr("Email");
    case NameColumn:
        return tr("Name");
    default:
        return {};
    }
}

bool IdentityListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_browsing || m_fetching)
        return false;
    return !m_started || !m_nextToken.isEmpty();
}

void IdentityListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_started = true;
    m_fetching = true;
    const quint64 generation = m_generation;
    QPointer<IdentityListModel> self(this);
    m_session.listIdentities(
        60, m_nextToken, [self, generation](const support::IdentityPage &page, const UserError &error) {
            if (!self || generation != self->m_generation)
                return;
            if (error.isError()) {
                self->m_fetching = false;
                Q_EMIT self->fetchFailed(error);
                return;
            }
            self->m_nextToken = page.nextToken;
            ++self->m_pages;
            // Still fetching while the page goes in: whoever reacts to the inserted rows (a view, a model
            // tester) must not chain the next page from there; the view asks again once it scrolls there.
            if (!page.identities.isEmpty()) {
                const int first = int(self->m_rows.size());
                self->beginInsertRows({}, first, first + int(page.identities.size()) - 1);
                for (const support::IdentityInfo &info : page.identities) {
                    support::FoundIdentity row{info, {}};
                    if (self->m_index) {
                        if (const auto known = self->m_index->findByIdentityId(info.identityId))
                            row.card = known->card;
                    }
                    self->m_rows.append(row);
                }
                self->endInsertRows();
            }
            self->m_fetching = false;
            Q_EMIT self->pageFetched(int(page.identities.size()));
        });
}

void IdentityListModel::browseAll()
{
    beginResetModel();
    ++m_generation;
    m_rows.clear();
    m_nextToken.clear();
    m_started = false;
    m_fetching = false;
    m_browsing = true;
    m_pages = 0;
    endResetModel();
}

void IdentityListModel::showFound(const QList<support::FoundIdentity> &found)
{
    beginResetModel();
    ++m_generation;
    m_rows = found;
    m_browsing = false;
    m_fetching = false;
    endResetModel();
}

} // namespace fedsync::ui
