#include "muster/badge/hub_keys.hpp"

#include "muster/util/text.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace muster::badge {
namespace {

std::string openssl_error() {
    unsigned long e = ERR_get_error();
    if (e == 0) return "unknown OpenSSL error";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return buf;
}

PublicKey raw_public(EVP_PKEY* key) {
    PublicKey out{};
    std::size_t len = out.size();
    if (EVP_PKEY_get_raw_public_key(key, out.data(), &len) != 1 || len != out.size())
        throw KeyError("not an Ed25519 key: " + openssl_error());
    return out;
}

struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

struct BioDeleter {
    void operator()(BIO* b) const noexcept { BIO_free(b); }
};

}  // namespace

void PkeyDeleter::operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }

std::string key_id(const PublicKey& key) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(key.data(), key.size(), digest);
    return text::hex(digest, 4);
}

HubKeyPair::HubKeyPair(PkeyPtr key) : key_(std::move(key)), public_(raw_public(key_.get())) {}

HubKeyPair HubKeyPair::generate() {
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key) throw KeyError("cannot generate an Ed25519 key: " + openssl_error());
    return HubKeyPair(std::move(key));
}

HubKeyPair HubKeyPair::load_private(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw KeyError("cannot read hub key " + path + ": " + std::strerror(errno));
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        throw KeyError("hub key " + path + " can be read by other users; run: chmod 600 " + path);
    FilePtr f(std::fopen(path.c_str(), "r"));
    if (!f) throw KeyError("cannot read hub key " + path + ": " + std::strerror(errno));
    PkeyPtr key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
    if (!key) throw KeyError("hub key " + path + " is not a PEM private key: " + openssl_error());
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) throw KeyError("hub key " + path + " is not an Ed25519 key");
    return HubKeyPair(std::move(key));
}

void HubKeyPair::save(const std::string& private_path, const std::string& public_path) const {
    int fd = ::open(private_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw KeyError("cannot create " + private_path + ": " + std::strerror(errno));
    ::fchmod(fd, 0600);  // whatever the umask
    FilePtr f(::fdopen(fd, "w"));
    if (!f) {
        ::close(fd);
        throw KeyError("cannot write " + private_path);
    }
    if (PEM_write_PrivateKey(f.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throw KeyError("cannot write " + private_path + ": " + openssl_error());
    if (std::fflush(f.get()) != 0 || ::fsync(fd) != 0) throw KeyError("cannot write " + private_path);

    std::string pem = public_key_pem(public_);
    FilePtr pub(std::fopen(public_path.c_str(), "w"));
    if (!pub || std::fwrite(pem.data(), 1, pem.size(), pub.get()) != pem.size())
        throw KeyError("cannot write " + public_path);
}

std::string public_key_pem(const PublicKey& key) {
    PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size()));
    if (!pkey) throw KeyError("bad public key: " + openssl_error());
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) throw KeyError("cannot encode public key");
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

PublicKey public_key_from_pem(std::string_view pem) {
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    PkeyPtr pkey(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!pkey) throw KeyError("not a PEM public key: " + openssl_error());
    if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) throw KeyError("public key is not Ed25519");
    return raw_public(pkey.get());
}

PublicKey load_public_key(const std::string& path) {
    FilePtr f(std::fopen(path.c_str(), "r"));
    if (!f) throw KeyError("cannot read public key " + path + ": " + std::strerror(errno));
    std::string pem;
    char buf[1024];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f.get())) > 0;) pem.append(buf, n);
    try {
        return public_key_from_pem(pem);
    } catch (const KeyError& e) {
        throw KeyError(path + ": " + e.what());
    }
}

}  // namespace muster::badge
