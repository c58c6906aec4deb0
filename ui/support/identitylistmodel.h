// The support console's identity browser: Cognito identities as ListIdentities gives them, fetched
// page by page as the view scrolls (canFetchMore / fetchMore), so memory grows with what was viewed,
// not with the pool. The card columns (email, name) come from the local identity index when it knows
// the identity. showFound() replaces the rows with the answer of a search.
#pragma once

#include "support/supporttypes.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace fedsync::support {
class IdentityIndex;
class SupportSession;
} // namespace fedsync::support

namespace fedsync::ui {

class IdentityListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdentityColumn,
        LoginsColumn,
        CreatedColumn,
        ModifiedColumn,
        EmailColumn,
        NameColumn,
        ColumnCount
    };
    enum Role { IdentityIdRole = Qt::UserRole + 1 };

    // `index` may be null (no card columns). Both must outlive the model.
    IdentityListModel(support::SupportSession &session, support::IdentityIndex *index,
                      QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Back to browsing the whole pool from the first page.
    void browseAll();
    // Shows these identities only (a search result); no more pages.
    void showFound(const QList<support::FoundIdentity> &found);
    bool isFetching() const { return m_fetching; }
    int pagesFetched() const { return m_pages; }
    QString identityAt(int row) const { return m_rows.at(row).identity.identityId; }
    const support::FoundIdentity &rowAt(int row) const { return m_rows.at(row); }

Q_SIGNALS:
    void pageFetched(int rows);
    void fetchFailed(const fedsync::UserError &error);

private:
    support::SupportSession &m_session;
    support::IdentityIndex *m_index;
    QList<support::FoundIdentity> m_rows;
    QString m_nextToken;
    bool m_started = false;
    bool m_fetching = false;
    bool m_browsing = true;
    int m_pages = 0;
    quint64 m_generation = 0;
};

} // namespace fedsync::ui
