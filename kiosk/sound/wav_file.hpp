#pragma once
// The chimes as files a designer can replace (assets/sounds/*.wav): the one WAV shape the
// player sends to ALSA, 16-bit PCM, mono, at chime_rate. Anything else is refused with a
// reason rather than played wrong (too fast, too slow, or as noise).
#include "chime.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace muster::kiosk {

// The samples, or why the file cannot be used (missing, not WAV, another format).
std::variant<std::vector<std::int16_t>, std::string> read_wav(const std::filesystem::path& file);

// Writes samples as a 16-bit PCM mono WAV at chime_rate; false if the file cannot be written.
bool write_wav(const std::filesystem::path& file, const std::vector<std::int16_t>& samples);

}  // namespace muster::kiosk
