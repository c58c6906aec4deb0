// The identity card: a few facts about the signed-in user (Auth0 sub, email, name, last sign-in, app
// version) that Fedsync records in the user's own store, in the reserved dataset "fedsync.identity",
// so that support staff can find a user's Cognito identity by sub or email (no AWS API maps one to the
// other). It syncs like any other dataset; the editor hides it. It takes one of Cognito Sync's 20
// datasets: when a user already has 20 others, no card is written. A profile can turn it off.
#pragma once

#include "common/usererror.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace fedsync {

class LocalStore;
struct IdTokenClaims;
struct LocalDataset;
struct SyncRecord;

struct IdentityCard
{
    static constexpr int Version = 1;
    static QString datasetName() { return QStringLiteral("fedsync.identity"); }
    // Datasets Fedsync keeps for itself ("fedsync." prefix): not shown in the editor.
    static bool isReservedDataset(const QString &name);
    // The one rule of every list of the user's datasets (the editor's, `fedsync-cli datasets`): the
    // datasets of `all` that are the user's own, in the same order (Fedsync's own are left out).
    static QList<LocalDataset> userDatasets(const QList<LocalDataset> &all);

    QString sub;
    QString email;
    QString name;
    QDateTime lastSignIn; // the ID token's auth_time: the last interactive sign-in
    QString appVersion;

    bool isValid() const { return !sub.isEmpty(); }

    static IdentityCard fromClaims(const IdTokenClaims &claims, const QString &appVersion);
    // From the dataset's records (removed ones ignored); invalid when there is no card.
    static IdentityCard fromRecords(const QList<SyncRecord> &records);

    // Writes the card's fields that differ from what the store holds (so a restored session that signed
    // in earlier changes nothing, and a new sign-in changes last_sign_in). Returns whether anything was
    // written; an error when the store refused (e.g. the 20-dataset limit: then nothing is written).
    static bool record(LocalStore &store, const IdentityCard &card, UserError *error);
};

} // namespace fedsync
