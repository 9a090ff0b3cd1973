// The chimes: two short, different sounds without clicks; files a designer can replace, with
// the built-in tone when one is missing or malformed; a kiosk with no sound device carries
// on silently.
#include "chime.hpp"
#include "chime_sounds.hpp"
#include "temp_dir.hpp"
#include "wav_file.hpp"
#include "log_lines.hpp"
#include "sound_player.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

using namespace std::chrono_literals;
using namespace muster::kiosk;

namespace {

int peak(const std::vector<std::int16_t>& s) {
    int p = 0;
    for (auto v : s) p = std::max(p, std::abs(static_cast<int>(v)));
    return p;
}

// Zero crossings a second: a rough pitch.
double crossings_per_second(const std::vector<std::int16_t>& s, std::size_t from, std::size_t to) {
    int n = 0;
    for (std::size_t i = from + 1; i < to; ++i) n += (s[i - 1] < 0) != (s[i] < 0);
    return n * static_cast<double>(chime_rate) / static_cast<double>(to - from);
}

}  // namespace

TEST_CASE("chimes are short, audible, unclipped and fade in and out", "[kiosk][sound]") {
    for (auto chime : {Chime::accepted, Chime::attention}) {
        auto s = chime_samples(chime);
        double seconds = static_cast<double>(s.size()) / chime_rate;
        CHECK(seconds > 0.15);
        CHECK(seconds < 0.5);  // short: the next person is already scanning
        CHECK(peak(s) > 8000);
        CHECK(peak(s) < 32000);
        CHECK(std::abs(s.front()) < 200);  // no click at either end
        CHECK(std::abs(s.back()) < 200);
    }
}

TEST_CASE("accepted rises and is higher, attention falls and is lower", "[kiosk][sound]") {
    auto ok = chime_samples(Chime::accepted);
    auto look = chime_samples(Chime::attention);
    auto half = [](const std::vector<std::int16_t>& s) { return s.size() / 2; };
    // Two crossings a cycle: the first note of "accepted" is ~880 Hz, of "attention" ~440 Hz.
    CHECK(crossings_per_second(ok, 0, half(ok) / 2) == Approx(2 * 880.0).epsilon(0.1));
    CHECK(crossings_per_second(look, 0, half(look) / 2) == Approx(2 * 440.0).epsilon(0.1));
    CHECK(crossings_per_second(ok, ok.size() * 3 / 4, ok.size()) > crossings_per_second(ok, 0, half(ok) / 2));
    CHECK(crossings_per_second(look, look.size() * 3 / 4, look.size()) < crossings_per_second(look, 0, half(look) / 2));
}

TEST_CASE("no sound device: the chime is dropped, counted, and nothing blocks", "[kiosk][sound]") {
    std::FILE* logged = std::tmpfile();
    muster::log::Logger log(muster::log::Level::info, logged);
    SoundPlayer player(ChimeSounds::built_in(), log, "hw:CARD=muster-no-such-card");
    auto t0 = std::chrono::steady_clock::now();
    player.play(Chime::accepted);
    CHECK(std::chrono::steady_clock::now() - t0 < 50ms);  // play() never waits for the device
    REQUIRE(player.wait_idle(5s));
    CHECK(player.failed() == 1);
    CHECK(player.played() == 0);
    player.play(Chime::attention);  // and it tries again next time (a speaker plugged in later)
    REQUIRE(player.wait_idle(5s));
    CHECK(player.failed() == 2);
    // Said once in the log, not at every chime.
    auto lines = muster::test::log_lines(logged);
    CHECK(std::count_if(lines.begin(), lines.end(), [](const auto& l) { return muster::test::event_of(l) == "sound_unavailable"; }) == 1);
    std::fclose(logged);
}

TEST_CASE("a chime is written to an ALSA device to the end", "[kiosk][sound]") {
    // ALSA's "null" device takes samples at the device's pace and discards them: the whole
    // open / set parameters / write / drain path, without a sound card.
    muster::log::Logger log;
    SoundPlayer player(ChimeSounds::built_in(), log, "null");
    player.play(Chime::accepted);
    REQUIRE(player.wait_idle(5s));
    CHECK(player.played() == 1);
    CHECK(player.failed() == 0);
    // A fast queue: a newer chime replaces one not yet started, none is lost mid-way.
    player.play(Chime::attention);
    player.play(Chime::accepted);
    REQUIRE(player.wait_idle(5s));
    CHECK(player.failed() == 0);
    CHECK(player.played() >= 2);
    CHECK(player.played() <= 3);
}

TEST_CASE("the chimes in assets/sounds are the built-in tones, as files a designer can replace", "[kiosk][sound][assets]") {
    std::filesystem::path assets = std::filesystem::path(MUSTER_SOURCE_DIR) / "assets" / "sounds";
    for (auto chime : all_chimes) {
        auto read = read_wav(assets / (std::string(name_of(chime)) + ".wav"));
        REQUIRE(std::holds_alternative<std::vector<std::int16_t>>(read));
        CHECK(std::get<std::vector<std::int16_t>>(read) == chime_samples(chime));
    }
}

TEST_CASE("a good WAV file is played, a missing or malformed one logged and the built-in tone used", "[kiosk][sound][assets]") {
    muster::test::TempDir dir;
    // accepted.wav: a designer's own sound (a single 1 kHz beep), well formed.
    std::vector<std::int16_t> beep(chime_rate / 10);
    for (std::size_t i = 0; i < beep.size(); ++i) beep[i] = static_cast<std::int16_t>(i % 44 < 22 ? 6000 : -6000);
    REQUIRE(write_wav(dir.file("accepted.wav"), beep));
    // attention.wav: a WAV header cut short (a failed copy); refused.wav: not there at all.
    std::ifstream whole(dir.file("accepted.wav"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(whole)), {});
    std::ofstream(dir.file("attention.wav"), std::ios::binary) << bytes.substr(0, 30);
    CHECK(std::holds_alternative<std::string>(read_wav(dir.file("attention.wav"))));
    std::ofstream(dir.file("stereo.wav"), std::ios::binary) << bytes.substr(0, 22) << '\x02' << bytes.substr(23);
    auto stereo = read_wav(dir.file("stereo.wav"));
    REQUIRE(std::holds_alternative<std::string>(stereo));
    CHECK_THAT(std::get<std::string>(stereo), Catch::Contains("mono"));

    std::FILE* logged = std::tmpfile();
    muster::log::Logger log(muster::log::Level::info, logged);
    auto sounds = ChimeSounds::load(dir.path(), log);
    CHECK(sounds.from_files() == 1);
    CHECK(sounds.of(Chime::accepted) == beep);
    CHECK(sounds.of(Chime::attention) == chime_samples(Chime::attention));
    CHECK(sounds.of(Chime::refused) == chime_samples(Chime::refused));
    auto lines = muster::test::log_lines(logged);
    std::fclose(logged);
    REQUIRE(lines.size() == 2);
    for (const auto& line : lines) {
        CHECK(muster::test::event_of(line) == "chime_file");
        CHECK(muster::test::text_of(line, "level") == "warn");
    }
    CHECK(muster::test::text_of(lines[0], "chime") == "attention");
    CHECK(muster::test::text_of(lines[1], "chime") == "refused");
    CHECK_THAT(muster::test::text_of(lines[1], "problem"), Catch::Contains("cannot open"));

    SoundPlayer player(std::move(sounds), log, "null");  // the designer's beep, to the end
    player.play(Chime::accepted);
    REQUIRE(player.wait_idle(5s));
    CHECK(player.played() == 1);
}
