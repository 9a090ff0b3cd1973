// muster-make-chimes DIR: writes the built-in tones as accepted.wav, attention.wav and
// refused.wav. assets/sounds/ was made with it once; a designer replaces those files with
// their own (16-bit PCM, mono, 44.1 kHz) and the kiosk plays them from its next start.
#include "chime.hpp"
#include "wav_file.hpp"

#include <cstdio>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: muster-make-chimes DIR\n");
        return 2;
    }
    std::filesystem::path dir = argv[1];
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    for (auto chime : muster::kiosk::all_chimes) {
        auto file = dir / (std::string(muster::kiosk::name_of(chime)) + ".wav");
        if (!muster::kiosk::write_wav(file, muster::kiosk::chime_samples(chime))) {
            std::fprintf(stderr, "muster-make-chimes: cannot write %s\n", file.c_str());
            return 1;
        }
        std::printf("%s\n", file.c_str());
    }
    return 0;
}
