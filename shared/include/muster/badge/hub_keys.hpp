#pragma once
// The hub's Ed25519 key pair. The private key signs badges and stays on the hub's machine
// in a file only its owner can read; devices get the public key alone (principle 5).
#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace muster::badge {

using PublicKey = std::array<unsigned char, 32>;

class KeyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PkeyDeleter {
    void operator()(EVP_PKEY* k) const noexcept;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Short public identifier of a key: hex of the first 4 bytes of SHA-256(public key).
std::string key_id(const PublicKey& key);

class HubKeyPair {
public:
    static HubKeyPair generate();
    // Refuses a key file that group or others can read: it signs every badge of the hub.
    static HubKeyPair load_private(const std::string& path);
    // Writes the private key (mode 0600, never overwriting an existing file) and the
    // public key beside it as PEM.
    void save(const std::string& private_path, const std::string& public_path) const;

    const PublicKey& public_key() const { return public_; }
    EVP_PKEY* pkey() const { return key_.get(); }

private:
    explicit HubKeyPair(PkeyPtr key);
    PkeyPtr key_;
    PublicKey public_{};
};

// Reads a PEM public key file (what a kiosk holds) and returns the raw key.
PublicKey load_public_key(const std::string& path);
std::string public_key_pem(const PublicKey& key);
PublicKey public_key_from_pem(std::string_view pem);

}  // namespace muster::badge
