#pragma once
// The kiosk's short sounds: a rising two-note chime for "accepted" and a falling, lower one
// for "needs attention" (amber) and "refused" (red). The words and icon on screen carry the
// meaning; the sound only makes people look. They are files a designer can replace
// (assets/sounds/, chime_sounds.hpp); the tones here are the built-in fallback, and what
// those files were made from (muster-make-chimes).
#include <cstdint>
#include <string_view>
#include <vector>

namespace muster::kiosk {

enum class Chime { accepted, attention, refused };
inline constexpr Chime all_chimes[] = {Chime::accepted, Chime::attention, Chime::refused};

constexpr unsigned chime_rate = 44'100;  // samples a second, mono

// "accepted", "attention", "refused": also the file's name without ".wav".
std::string_view name_of(Chime chime);

// The built-in tones: signed 16-bit mono samples at chime_rate, with short fades so nothing
// clicks. Refused sounds like attention (the screen tells them apart).
std::vector<std::int16_t> chime_samples(Chime chime);

}  // namespace muster::kiosk
