#include "chime.hpp"

#include <algorithm>
#include <cmath>

namespace muster::kiosk {
namespace {

struct Note {
    double hz;
    double seconds;
};

void append_note(std::vector<std::int16_t>& out, Note note) {
    constexpr double pi = 3.14159265358979323846;
    constexpr double amplitude = 0.35 * 32767;  // well under full scale: kiosks have cheap speakers
    constexpr double fade = 0.008;              // seconds of fade in and out
    auto n = static_cast<std::size_t>(note.seconds * chime_rate);
    for (std::size_t i = 0; i < n; ++i) {
        double t = static_cast<double>(i) / chime_rate;
        double envelope = std::min({1.0, t / fade, (note.seconds - t) / fade});
        out.push_back(static_cast<std::int16_t>(amplitude * envelope * std::sin(2 * pi * note.hz * t)));
    }
}

}  // namespace

std::string_view name_of(Chime chime) {
    switch (chime) {
        case Chime::accepted: return "accepted";
        case Chime::attention: return "attention";
        case Chime::refused: return "refused";
    }
    return "attention";
}

std::vector<std::int16_t> chime_samples(Chime chime) {
    std::vector<std::int16_t> out;
    if (chime == Chime::accepted) {
        append_note(out, {880.0, 0.09});   // A5 then E6: bright and brief
        append_note(out, {1318.5, 0.12});
    } else {
        append_note(out, {440.0, 0.16});   // A4 then E4: lower, longer, clearly different
        append_note(out, {329.6, 0.22});
    }
    return out;
}

}  // namespace muster::kiosk
