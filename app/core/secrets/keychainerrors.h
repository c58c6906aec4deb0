// How a QtKeychain failure reads as a SecretResult: error code plus backend message to Status and a
// user-facing error. Kept apart from keychainsecretstore.h so that only this module (and its tests)
// see the QtKeychain header.
#pragma once

#include "secrets/secretstore.h"

#include <qt6keychain/keychain.h>

namespace fedsync {

// The status for a QtKeychain error. The Secret Service reports most trouble as OtherError with a
// D-Bus message, so the message decides: a locked keyring is Locked, a missing service or collection
// is NoBackend.
SecretResult::Status keychainStatusFor(QKeychain::Error error, const QString &errorString);

// The complete result for a finished job (the value is left empty). EntryNotFound is Ok for a remove.
SecretResult keychainResultFor(QKeychain::Error error, const QString &errorString,
                               SecretResult::Operation operation);

} // namespace fedsync
