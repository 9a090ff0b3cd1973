#pragma once
// Record identities made on the device (principle 3). Version 7 UUIDs: time-ordered, so
// they index well in SQLite, with 74 random bits from OpenSSL's CSPRNG.
#include "muster/model/types.hpp"

#include <string>

namespace muster {

std::string new_uuid(TimeMs now);
// Version 4: 122 random bits and no time, for what must not say when it was made (the
// satisfaction answers: migration 0011).
std::string new_random_uuid();
bool is_uuid(std::string_view s);  // canonical lower-case 8-4-4-4-12 form

}  // namespace muster
