#pragma once
// Staff PINs are stored hashed in device files: PBKDF2-HMAC-SHA256 with a random salt,
// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>". A stolen device file does not give
// the PIN away without a brute-force search, and the comparison is constant-time.
#include <string>
#include <string_view>

namespace muster {

std::string hash_pin(std::string_view pin, int iterations = 100'000);
bool verify_pin(std::string_view pin, std::string_view stored);
// PINs are 4 to 12 digits.
bool is_valid_pin(std::string_view pin);

}  // namespace muster
