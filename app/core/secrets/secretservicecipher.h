// The transfer encryption of the Secret Service API's "dh-ietf1024-sha256-aes128-cbc-pkcs7" session
// (freedesktop.org Secret Service API, "Transfer of Secrets"): a Diffie-Hellman exchange in the 1024-bit
// MODP group of RFC 2409, the shared secret (padded to 128 bytes) through HKDF-SHA256 with no salt and no
// info to a 16-byte AES key, and each secret sent as AES-128-CBC with PKCS#7 padding and a fresh random IV.
// It keeps secrets unreadable on the bus (a monitor, a logging broker) between Fedsync and the keyring.
// OpenSSL only; no D-Bus here (SecretServiceClient carries the bytes).
#pragma once

#include <QByteArray>

#include <optional>

namespace fedsync {

class SecretServiceCipher
{
public:
    static constexpr const char *algorithm = "dh-ietf1024-sha256-aes128-cbc-pkcs7";

    // Makes a fresh key pair. publicKey() is empty if OpenSSL failed (no random bytes).
    SecretServiceCipher();
    ~SecretServiceCipher();
    SecretServiceCipher(const SecretServiceCipher &) = delete;
    SecretServiceCipher &operator=(const SecretServiceCipher &) = delete;

    // Our public value, big-endian, 128 bytes: OpenSession's input.
    QByteArray publicKey() const { return m_publicKey; }

    // Takes the service's public value (OpenSession's output) and derives the session key. False, with
    // no key, when the value is not a valid element of the group (0, 1, p - 1 or out of range).
    bool agree(const QByteArray &peerPublicKey);
    bool hasKey() const { return m_key.size() == 16; }

    struct Sealed
    {
        QByteArray iv;         // the Secret's "parameters"
        QByteArray ciphertext; // the Secret's "value"
    };
    std::optional<Sealed> seal(const QByteArray &plaintext) const;
    // Empty optional when the ciphertext does not decrypt (wrong key, bad padding, bad IV size).
    std::optional<QByteArray> open(const QByteArray &iv, const QByteArray &ciphertext) const;

private:
    QByteArray m_privateKey; // big-endian exponent; wiped on destruction
    QByteArray m_publicKey;
    QByteArray m_key; // the AES-128 key once agreed; wiped on destruction
};

} // namespace fedsync
