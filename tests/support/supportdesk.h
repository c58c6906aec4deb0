// The staff member's side of a support console test, set up in this process: HOME an empty folder (no
// ~/.aws of the machine's), the crawl index in a folder of its own (FEDSYNC_SUPPORT_INDEX), the profile's
// context on fedsync-cli's keychain and settings (the user is signed in by fedsync-cli, not here), and
// staff keys in the environment, the sandbox's developer keys unless others are set.
#pragma once

#include "signedinuser.h"

#include <QString>
#include <QTemporaryDir>

namespace fedsync::test {

class Sandbox;

class SupportDesk
{
public:
    // Empty when it worked, else what failed.
    QString open(const Sandbox &sandbox, const QString &profileFile);
    ProfileContext &context() { return m_user.context(); }
    // A file in a folder of the test's own (exports).
    QString filePath(const QString &name) const { return m_files.filePath(name); }

    void useDeveloperKeys(const Sandbox &sandbox);
    void useStaffKeys(const QString &keyId, const QString &secret);
    void removeStaffKeys();

private:
    QTemporaryDir m_home;
    QTemporaryDir m_files;
    SignedInUser m_user;
};

} // namespace fedsync::test
