// Fidelity: libnfc's own nfc-list (Debian libnfc-bin) against the emulator must open the
// "reader", find the tag and print its UID, with no framing complaint in libnfc's debug log.
#include "child_process.hpp"
#include "pn532_emulator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

using namespace muster::test;
using namespace muster::test::pn532;

namespace {

ChildResult run_nfc_list(const Pn532Emulator& emulator) {
    return run_child({"nfc-list"},
                     {{"LIBNFC_DEFAULT_DEVICE", emulator.connstring()}, {"LIBNFC_LOG_LEVEL", "3"}},
                     std::chrono::seconds(60));
}

// nfc-list prints bytes as "04  a1  b2  "; compare without the spacing.
std::string squeeze(std::string text) {
    std::string out;
    for (char c : text)
        if (c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void check_clean_log(const ChildResult& run) {
    for (const char* complaint : {"Unexpected PN53x reply", "checksum mismatch", "Frame preamble+start code mismatch",
                                  "TFI Mismatch", "Command Code verification failed", "Application level error"}) {
        INFO(complaint);
        CHECK(run.output.find(complaint) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("nfc-list finds a 7-byte NTAG213 on the emulated PN532", "[nfc]") {
    Pn532Emulator emulator;
    TagSpec spec;
    spec.uid = parse_hex("04A1B2C3D4E5F6");
    spec.text = "M1:NFCLIST";
    emulator.place_tag(spec);

    const ChildResult run = run_nfc_list(emulator);
    INFO(run.output);
    REQUIRE(run.started);
    REQUIRE_FALSE(run.timed_out);
    CHECK(run.exit_code == 0);
    // A LIBNFC_DEFAULT_DEVICE reader is named "user defined default device".
    CHECK(run.output.find("NFC device: user defined default device opened") != std::string::npos);
    CHECK(run.output.find(emulator.pty_path()) != std::string::npos);  // libnfc's log names the port
    CHECK(run.output.find("1 ISO14443A passive target(s) found") != std::string::npos);
    const std::string flat = squeeze(run.output);
    CHECK(flat.find("uid(nfcid1):04a1b2c3d4e5f6") != std::string::npos);
    CHECK(flat.find("atqa(sens_res):0044") != std::string::npos);
    CHECK(flat.find("sak(sel_res):00") != std::string::npos);
    check_clean_log(run);
}

TEST_CASE("nfc-list finds a 4-byte MIFARE Classic on the emulated PN532", "[nfc]") {
    Pn532Emulator emulator;
    TagSpec spec;
    spec.uid = parse_hex("DEADBEEF");
    spec.type = TagType::mifare_classic_1k;
    emulator.place_tag(spec);

    const ChildResult run = run_nfc_list(emulator);
    INFO(run.output);
    REQUIRE(run.started);
    REQUIRE_FALSE(run.timed_out);
    CHECK(run.exit_code == 0);
    CHECK(run.output.find("1 ISO14443A passive target(s) found") != std::string::npos);
    const std::string flat = squeeze(run.output);
    CHECK(flat.find("uid(nfcid1):deadbeef") != std::string::npos);
    CHECK(flat.find("atqa(sens_res):0004") != std::string::npos);
    CHECK(flat.find("sak(sel_res):08") != std::string::npos);
    check_clean_log(run);
}

TEST_CASE("nfc-list with no tag on the emulated PN532 lists nothing and exits cleanly", "[nfc]") {
    Pn532Emulator emulator;
    const ChildResult run = run_nfc_list(emulator);
    INFO(run.output);
    REQUIRE(run.started);
    REQUIRE_FALSE(run.timed_out);
    CHECK(run.exit_code == 0);
    CHECK(run.output.find("opened") != std::string::npos);
    CHECK(run.output.find("passive target(s) found") == std::string::npos);
    check_clean_log(run);
}
