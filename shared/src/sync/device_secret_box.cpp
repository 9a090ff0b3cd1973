#include "muster/sync/device_secret_box.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace muster::sync {
namespace {

constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;
constexpr std::size_t secret_size = DeviceSecret{}.size();
static_assert(secret_box_size == 1 + nonce_size + secret_size + tag_size);

struct CipherFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// The version byte is authenticated too, so a box cannot be relabelled as another format.
bool add_associated_data(EVP_CIPHER_CTX* c, std::string_view device_id) {
    int n = 0;
    const unsigned char version = secret_box_version;
    return EVP_CipherUpdate(c, nullptr, &n, &version, 1) == 1 &&
           EVP_CipherUpdate(c, nullptr, &n, bytes(device_id), static_cast<int>(device_id.size())) == 1;
}

}  // namespace

DeviceSecretsKey generate_device_secrets_key() {
    DeviceSecretsKey k{};
    if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1) throw std::runtime_error("no randomness for a key");
    return k;
}

std::string seal_device_secret(const DeviceSecretsKey& key, std::string_view device_id, const DeviceSecret& secret) {
    std::string box(secret_box_size, '\0');
    auto* out = reinterpret_cast<unsigned char*>(box.data());
    out[0] = secret_box_version;
    unsigned char* nonce = out + 1;
    unsigned char* sealed = nonce + nonce_size;
    unsigned char* tag = sealed + secret_size;
    if (RAND_bytes(nonce, static_cast<int>(nonce_size)) != 1) throw std::runtime_error("no randomness for a nonce");
    Cipher c(EVP_CIPHER_CTX_new());
    int n = 0, tail = 0;
    bool ok = c && EVP_EncryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce) == 1 &&
              add_associated_data(c.get(), device_id) &&
              EVP_EncryptUpdate(c.get(), sealed, &n, secret.data(), static_cast<int>(secret_size)) == 1 &&
              EVP_EncryptFinal_ex(c.get(), sealed + n, &tail) == 1 &&
              EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size), tag) == 1;
    if (!ok || static_cast<std::size_t>(n + tail) != secret_size) throw std::runtime_error("cannot seal a device secret");
    return box;
}

std::optional<DeviceSecret> open_device_secret(const DeviceSecretsKey& key, std::string_view device_id,
                                               std::string_view box) {
    if (box.size() != secret_box_size || static_cast<unsigned char>(box[0]) != secret_box_version) return std::nullopt;
    const unsigned char* nonce = bytes(box) + 1;
    const unsigned char* sealed = nonce + nonce_size;
    unsigned char tag[tag_size];
    std::copy(sealed + secret_size, sealed + secret_size + tag_size, tag);  // the ctrl call takes a mutable pointer
    DeviceSecret secret{};
    Cipher c(EVP_CIPHER_CTX_new());
    int n = 0, tail = 0;
    bool ok = c && EVP_DecryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce) == 1 &&
              add_associated_data(c.get(), device_id) &&
              EVP_DecryptUpdate(c.get(), secret.data(), &n, sealed, static_cast<int>(secret_size)) == 1 &&
              EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size), tag) == 1 &&
              EVP_DecryptFinal_ex(c.get(), secret.data() + n, &tail) == 1;  // checks the tag
    if (!ok) {
        OPENSSL_cleanse(secret.data(), secret.size());
        return std::nullopt;
    }
    return secret;
}

}  // namespace muster::sync
