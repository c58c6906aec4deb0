// Test helper: catches the one SecretResult a SecretStore call answers, and how many times it answered.
#pragma once

#include "secrets/secretstore.h"

#include <optional>

namespace fedsync::test {

struct SecretResultCatcher
{
    std::optional<SecretResult> result;
    int calls = 0;

    SecretStore::Callback callback()
    {
        return [this](const SecretResult &r) {
            result = r;
            ++calls;
        };
    }
};

} // namespace fedsync::test
