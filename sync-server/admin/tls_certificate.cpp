#include "tls_certificate.hpp"

#include "muster/util/private_files.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>

namespace muster::admin {
namespace {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
    void operator()(std::FILE* f) const { std::fclose(f); }
};

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("TLS certificate: " + what); }

bool is_ip_address(const std::string& host) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

void add_extension(X509* cert, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, Free> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    if (!ext || !X509_add_ext(cert, ext.get(), -1)) fail("cannot add extension " + value);
}

void write_pem(const std::filesystem::path& path, mode_t mode, bool key, EVP_PKEY* pkey, X509* cert) {
    std::filesystem::remove(path);
    std::unique_ptr<std::FILE, Free> f(std::fopen(path.c_str(), "wx"));
    if (!f) fail("cannot write " + path.string());
    ::chmod(path.c_str(), mode);  // before any byte of a key is written
    int ok = key ? PEM_write_PrivateKey(f.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) : PEM_write_X509(f.get(), cert);
    if (!ok) fail("cannot write " + path.string());
}

}  // namespace

void write_self_signed_certificate(const std::filesystem::path& cert_path, const std::filesystem::path& key_path,
                                   const std::string& hub_name, std::vector<std::string> hosts, int valid_days) {
    std::unique_ptr<EVP_PKEY, Free> pkey(EVP_EC_gen("P-256"));
    if (!pkey) fail("cannot make a P-256 key");
    std::unique_ptr<X509, Free> cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) fail("no randomness");
    serial[0] &= 0x7f;  // a positive serial number
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // a device clock a little behind still accepts it
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(valid_days) * 86400L);
    X509_set_pubkey(cert.get(), pkey.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    std::string cn = ("Muster sync server - " + hub_name).substr(0, 64);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);

    hosts.push_back("localhost");
    hosts.push_back("127.0.0.1");
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    std::string san;
    for (const auto& h : hosts) {
        if (h.empty() || h.find_first_of(",: ") != std::string::npos) fail("bad host name '" + h + "'");
        san += (san.empty() ? "" : ",") + std::string(is_ip_address(h) ? "IP:" : "DNS:") + h;
    }
    add_extension(cert.get(), NID_subject_alt_name, san);
    add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
    if (!X509_sign(cert.get(), pkey.get(), EVP_sha256())) fail("cannot sign");

    // The hub's tls/ folder is its owner's alone like the rest of the hub; the certificate is
    // public (each device holds a copy) but nothing in a hub folder is for other local users.
    create_private_folder(cert_path.parent_path());
    create_private_folder(key_path.parent_path());
    write_pem(key_path, 0600, true, pkey.get(), nullptr);
    write_pem(cert_path, 0600, false, nullptr, cert.get());
}

}  // namespace muster::admin
