#include "chime_sounds.hpp"

#include "wav_file.hpp"

#include <string>

namespace muster::kiosk {

ChimeSounds ChimeSounds::built_in() {
    ChimeSounds s;
    for (auto chime : all_chimes) s.samples_[static_cast<std::size_t>(chime)] = chime_samples(chime);
    return s;
}

ChimeSounds ChimeSounds::load(const std::filesystem::path& folder, log::Logger& log) {
    ChimeSounds s = built_in();
    for (auto chime : all_chimes) {
        auto file = folder / (std::string(name_of(chime)) + ".wav");
        auto read = read_wav(file);
        if (auto* samples = std::get_if<std::vector<std::int16_t>>(&read)) {
            s.samples_[static_cast<std::size_t>(chime)] = std::move(*samples);
            ++s.from_files_;
        } else {
            log.warn("chime_file", {{"chime", name_of(chime)}, {"file", file.string()}, {"problem", std::get<std::string>(read)},
                                    {"effect", "the built-in tone plays instead"}});
        }
    }
    return s;
}

}  // namespace muster::kiosk
