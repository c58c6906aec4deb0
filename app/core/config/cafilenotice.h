// A profile's extra CA file is a trust anchor for the hosts the profile names: the user sees what it is
// (each certificate's subject and SHA-256 fingerprint, and those hosts) when a profile carrying one is
// imported or first loaded from a file. Which (file, CA) pairs were already shown is kept in the
// settings (fingerprints are public), so the notice comes once, and again when the CA changes.
#pragma once

#include "config/profile.h"

#include <QCoreApplication>
#include <QStringList>

namespace fedsync {

class CaFileNotice final
{
    Q_DECLARE_TR_FUNCTIONS(CaFileNotice)

public:
    // "The profile trusts an extra certificate authority for 127.0.0.1 only: CN=…; SHA-256 AA:BB:…"
    // (one line per certificate); empty when the profile has no CA file.
    static QString text(const Profile &profile);
    // Whether this profile source (its file path) with this CA content was shown before.
    static bool wasShown(const QString &source, const Profile &profile);
    static void markShown(const QString &source, const Profile &profile);
};

} // namespace fedsync
