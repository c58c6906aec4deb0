// A std::unique_ptr deleter that frees an OpenSSL object with its own free function, e.g.
// std::unique_ptr<BIGNUM, OpenSslFree<BN_clear_free>>. Header-only and without an OpenSSL include: each
// user includes the OpenSSL headers it needs.
#pragma once

namespace fedsync {

template<auto Free> struct OpenSslFree
{
    template<typename T> void operator()(T *object) const { Free(object); }
};

} // namespace fedsync
