#pragma once
// The samples each chime plays: read once at start from the sounds folder
// ([screen] sounds, default assets/sounds/: accepted.wav, attention.wav, refused.wav), so a
// designer can change them without a rebuild. A missing or malformed file is logged and its
// built-in tone used instead: a kiosk never goes silent, or down, over a sound file.
#include "chime.hpp"

#include "muster/log/logger.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace muster::kiosk {

class ChimeSounds {
public:
    static ChimeSounds built_in();
    static ChimeSounds load(const std::filesystem::path& folder, log::Logger& log);

    const std::vector<std::int16_t>& of(Chime chime) const { return samples_[static_cast<std::size_t>(chime)]; }
    // How many came from files (the rest are built in).
    int from_files() const { return from_files_; }

private:
    std::array<std::vector<std::int16_t>, std::size(all_chimes)> samples_;
    int from_files_ = 0;
};

}  // namespace muster::kiosk
