#include "muster/util/uuid.hpp"

#include "muster/util/text.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace muster {

std::string new_uuid(TimeMs now) {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data() + 6, 10) != 1) throw std::runtime_error("no randomness for a record id");
    auto ts = static_cast<std::uint64_t>(now);
    for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ts >> (40 - 8 * i));
    b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0f));  // version 7
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));  // RFC 4122 variant
    std::string h = text::hex(b.data(), b.size());
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string new_random_uuid() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) throw std::runtime_error("no randomness for a record id");
    b[6] = static_cast<unsigned char>(0x40 | (b[6] & 0x0f));  // version 4
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));  // RFC 4122 variant
    std::string h = text::hex(b.data(), b.size());
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

}  // namespace muster
