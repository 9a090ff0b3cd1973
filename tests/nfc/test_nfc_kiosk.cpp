// The NFC reader inside muster-kiosk: the headless kiosk as a real process with
// `nfc = true` in its device file, talking through libnfc to the PN532 emulator.
#include "kiosk_fixture.hpp"
#include "kiosk_process.hpp"
#include "log_lines.hpp"
#include "nfc_test_support.hpp"
#include "pn532_emulator.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace std::chrono_literals;
using namespace muster;
using namespace muster::test::pn532;
using test::json_field;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream f(path);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

TagSpec card(const std::string& uid, std::optional<std::string> text = std::nullopt) {
    TagSpec spec;
    spec.uid = parse_hex(uid);
    spec.text = std::move(text);
    return spec;
}

}  // namespace

TEST_CASE("muster-kiosk with an NFC reader: taps check in, a held card is one scan", "[nfc][kiosk]") {
    test::DemoHub hub;
    Pn532Emulator emulator{Pn532Emulator::Options{hub.dir.file("reader"), {}}};
    auto text = slurp(hub.entrance());
    text.replace(text.find("nfc = false"), 11, "nfc = true");
    text.replace(text.find("nfc_connstring = \"\""), 19, "nfc_connstring = \"" + emulator.connstring() + "\"");
    std::ofstream(hub.entrance(), std::ios::trunc) << text;

    test::KioskProcess kiosk(hub.entrance(), hub.dir.file("stderr.log"), {"--keep-running"}, {{"LIBNFC_LOG_LEVEL", "0"}});
    REQUIRE(test::wait_for_log(
        hub.dir.file("stderr.log"), "input",
        [](const auto& l) { return test::text_of(l, "input") == "NFC reader" && test::text_of(l, "state") == "ready"; }, 20s));

    emulator.place_tag(card("04A1B2C3D4E5F6"));  // the demo attached this card to participant 1
    auto uid_line = kiosk.read_line(20s);
    REQUIRE(uid_line);
    CHECK(json_field(*uid_line, "outcome") == "checked_in");
    CHECK(json_field(*uid_line, "participant_id") == "1");
    CHECK(json_field(*uid_line, "method") == "nfc");
    CHECK_FALSE(kiosk.read_line(3s));  // still on the reader: no second scan
    emulator.remove_tag();

    emulator.place_tag(card("04998877665544", hub.token(9)));  // a card carrying a signed token
    auto token_line = kiosk.read_line(20s);
    REQUIRE(token_line);
    CHECK(json_field(*token_line, "participant_id") == "9");
    emulator.remove_tag();

    emulator.place_tag(card("0A0B0C0D"));
    auto unknown = kiosk.read_line(20s);
    REQUIRE(unknown);
    CHECK(json_field(*unknown, "outcome") == "unknown_badge");

    kiosk.terminate();
    CHECK(kiosk.wait(20s) == 0);
}
