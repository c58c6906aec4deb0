// Reads and writes a profile as a JSON file (format 1, docs/sandbox-contract.md): how profiles are
// shared, exported, and handed over by the local sandbox (--profile-file). The format has no place for
// a secret, and none is ever written.
//
// Loading checks the file's shape (JSON, format version, the type of each field); whether the values
// make sense is ProfileValidator's job, so the caller can show every problem at once.
#pragma once

#include "common/usererror.h"
#include "config/profile.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace fedsync {

class ProfileFile final
{
    Q_DECLARE_TR_FUNCTIONS(ProfileFile)

public:
    static constexpr int FormatVersion = 1;
    // No profile comes near this; anything larger is the wrong file.
    static constexpr qint64 MaxSize = 1024 * 1024;

    // The profile in `path`, or std::nullopt with *error set (codes "config.file.<problem>", naming the
    // field). A relative ca_file is resolved against the file's folder. Without an "id" in the file the
    // id is made from the name (Profile::slugFor).
    static std::optional<Profile> load(const QString &path, UserError *error);
    // The same from bytes; `baseDir` resolves a relative ca_file, `source` names the input in messages.
    static std::optional<Profile> fromJson(const QByteArray &json, const QString &baseDir,
                                           const QString &source, UserError *error);

    static QByteArray toJson(const Profile &profile);
    // Writes atomically (a failed write leaves any previous file as it was). Empty on success.
    static UserError save(const Profile &profile, const QString &path);
};

} // namespace fedsync
