#include "sync/identitycard.h"

#include "oidc/idtokenvalidator.h"
#include "sync/localstore.h"
#include "sync/synctypes.h"

#include <QHash>

namespace fedsync {
namespace {
QList<std::pair<QString, QString>> fields(const IdentityCard &card)
{
    return {
        {QStringLiteral("v"), QString::number(IdentityCard::Version)},
        {QStringLiteral("sub"), card.sub},
        {QStringLiteral("email"), card.email},
        {QStringLiteral("name"), card.name},
        {QStringLiteral("last_sign_in"),
         card.lastSignIn.isValid() ? card.lastSignIn.toUTC().toString(Qt::ISODate) : QString()},
        {QStringLiteral("app_version"), card.appVersion},
    };
}
} // namespace

bool IdentityCard::isReservedDataset(const QString &name)
{
    return name.startsWith(QLatin1String("fedsync."));
}

QList<LocalDataset> IdentityCard::userDatasets(const QList<LocalDataset> &all)
{
    QList<LocalDataset> shown;
    shown.reserve(all.size());
    for (const LocalDataset &dataset : all) {
        if (!isReservedDataset(dataset.name))
            shown << dataset;
    }
    return shown;
}

IdentityCard IdentityCard::fromClaims(const IdTokenClaims &claims, const QString &appVersion)
{
    IdentityCard card;
    card.sub = claims.sub;
    card.email = claims.email;
    card.name = claims.name;
    card.lastSignIn = claims.authTime.isValid() ? claims.authTime : claims.iat;
    card.appVersion = appVersion;
    return card;
}

IdentityCard IdentityCard::fromRecords(const QList<SyncRecord> &records)
{
    QHash<QString, QString> values;
    for (const SyncRecord &record : records) {
        if (!record.isRemoved())
            values.insert(record.key, *record.value);
    }
    IdentityCard card;
    card.sub = values.value(QStringLiteral("sub"));
    card.email = values.value(QStringLiteral("email"));
    card.name = values.value(QStringLiteral("name"));
    card.lastSignIn = QDateTime::fromString(values.value(QStringLiteral("last_sign_in")), Qt::ISODate);
    card.appVersion = values.value(QStringLiteral("app_version"));
    return card;
}

bool IdentityCard::record(LocalStore &store, const IdentityCard &card, UserError *error)
{
    if (!card.isValid())
        return false;
    const auto existing = store.records(datasetName());
    if (!existing.ok()) {
        *error = existing.error;
        return false;
    }
    QHash<QString, QString> current;
    for (const LocalRecord &record : existing.value) {
        if (!record.record.isRemoved())
            current.insert(record.record.key, *record.record.value);
    }
    QList<std::pair<QString, QString>> changed;
    for (const auto &field : fields(card)) {
        if (!current.contains(field.first) || current.value(field.first) != field.second)
            changed.append(field);
    }
    if (changed.isEmpty())
        return false;
    *error = store.putValues(datasetName(), changed);
    return !error->isError();
}

} // namespace fedsync
