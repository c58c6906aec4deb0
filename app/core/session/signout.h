// Sign-out as one use case, for the window and the CLI alike: revokes the refresh token at the provider
// (best effort: offline, the note says so and the local sign-out still happens), forgets the tokens
// here and in the keychain, and, when asked, deletes that user's local data on this computer (the
// SQLite store with its -wal/-shm files, the remembered Cognito identity, and the kept pictures).
#pragma once

#include "common/usererror.h"

#include <QObject>
#include <QStringList>
#include <QUrl>

namespace fedsync {

class ProfileContext;

class SignOut final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool federated = false;  // also end the upstream identity provider's session (logout URL)
        bool forgetData = false; // delete this user's local data
        QString dataDirectory;   // where the databases live; empty: UserDatasets's default
    };

    struct Outcome
    {
        QUrl logoutUrl; // Auth0's logout page, for the caller to open
        bool hadRefreshToken = false;
        bool revoked = false;     // the provider confirmed the revocation
        UserError revokeProblem;  // why not (offline, refused): a note, not a failure
        QStringList removedFiles; // local data deleted (forgetData)
        UserError dataProblem;    // a file that could not be deleted
    };

    // `context` must outlive the sign-out (until finished()).
    SignOut(ProfileContext &context, Options options, QObject *parent = nullptr);

    // Starts. signedOutLocally() comes at once when the SignInState holds the tokens in memory (else after
    // the keychain is read); finished() follows once, later, after the revocation.
    void start();

    // The files that hold the last user's local data for `context`'s profile (whether they exist or not).
    static QStringList localDataFiles(ProfileContext &context, const QString &dataDirectory = {});

Q_SIGNALS:
    // The tokens are gone from memory (the keychain entry is being removed): the window can update.
    void signedOutLocally(const QUrl &logoutUrl);
    void finished(const fedsync::SignOut::Outcome &outcome);

private:
    void revoke(const QString &refreshToken);
    void finishLocally();

    ProfileContext &m_context;
    Options m_options;
    Outcome m_outcome;
    QStringList m_dataFiles;
    QString m_subject;
};

} // namespace fedsync
