// Badge tokens, as a QR code or an NFC card hands them to the kiosk: any bytes at all.
//
// Two modes, chosen by the first byte:
//  - odd: the rest is a scanned text, verified as it is. Nothing may crash, and a token
//    the verifier accepts must be one this run's hub signed (a forgery found by mutation
//    would be the worst finding of all).
//  - even: a genuine token is made for claims taken from the input, then changed at
//    positions the input names. The verifier must accept it exactly when the change left
//    its canonical form (upper case, trimmed) the same, and then with the same claims.
#include "muster/badge/badge_token.hpp"
#include "muster/badge/hub_keys.hpp"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

using namespace muster::badge;

struct Hub {
    HubKeyPair keys = HubKeyPair::generate();  // no key is kept in the repository
    BadgeVerifier verifier{keys.public_key()};
};

Hub& hub() {
    static Hub h;
    return h;
}

std::string canonical(const std::string& text) {
    std::size_t b = 0, e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    std::string out = text.substr(b, e - b);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

void check(bool condition) {
    if (!condition) std::abort();  // libFuzzer keeps the input as a crash
}

void verify_scanned_text(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    (void)looks_like_token(text);
    (void)token_digest(text);
    auto result = hub().verifier.verify(text);
    if (result.ok()) {
        // Only a token of this run's key can verify; the fuzzer cannot have made one
        // unless it re-signed, so the same claims signed again must give the same token.
        check(canonical(text) == sign_badge(hub().keys, *result.claims));
    } else {
        (void)describe(result.error);
    }
}

void verify_changed_token(const std::uint8_t* data, std::size_t size) {
    if (size < 7) return;
    BadgeClaims claims;
    claims.participant_id = (std::uint32_t{data[0]} << 24) | (std::uint32_t{data[1]} << 16) | (std::uint32_t{data[2]} << 8) | data[3];
    claims.serial = static_cast<std::uint16_t>((data[4] << 8) | data[5]);
    if (claims.participant_id == 0) return;  // no badge is ever made for id 0 (sign_badge refuses)
    std::string token = sign_badge(hub().keys, claims);
    std::string changed = token;
    // Then (position, new byte) pairs; a position past the end appends.
    for (std::size_t i = 6; i + 1 < size; i += 2) {
        std::size_t at = data[i] % (changed.size() + 1);
        char c = static_cast<char>(data[i + 1]);
        if (at == changed.size()) changed.push_back(c);
        else changed[at] = c;
    }
    auto result = hub().verifier.verify(changed);
    bool same = canonical(changed) == token;
    check(result.ok() == same);
    if (same) check(result.claims->participant_id == claims.participant_id && result.claims->serial == claims.serial);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    if (data[0] & 1) verify_scanned_text(data + 1, size - 1);
    else verify_changed_token(data + 1, size - 1);
    return 0;
}
