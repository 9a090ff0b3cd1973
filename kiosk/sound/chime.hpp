#pragma once
// The kiosk's two short sounds, synthesised rather than shipped as files: a rising two-note
// chime for "accepted" and a falling, lower one for "needs attention" (amber or red). The
// words and icon on screen carry the meaning; the sound only makes people look.
#include <cstdint>
#include <vector>

namespace muster::kiosk {

enum class Chime { accepted, attention };

constexpr unsigned chime_rate = 44'100;  // samples a second, mono

// Signed 16-bit mono samples at chime_rate, with short fades so nothing clicks.
std::vector<std::int16_t> chime_samples(Chime chime);

}  // namespace muster::kiosk
