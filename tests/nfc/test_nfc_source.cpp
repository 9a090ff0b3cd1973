// NfcSource through real libnfc (pn532_uart driver) against the PN532 emulator: taps,
// held cards, unknown cards, a reader that goes silent, garbles, disappears or was never
// there, and enrolment. Timeouts are generous and every wait is for a condition, so a busy
// 2-core machine slows these tests down but does not fail them.
#include "nfc_source.hpp"
#include "nfc_test_support.hpp"
#include "pn532_emulator.hpp"
#include "scan_queue.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace muster::kiosk;
using namespace muster::test;
using namespace muster::test::pn532;
using muster::kiosk::nfc::NfcSource;
using muster::nfc::uid_hex;

namespace {

constexpr auto patience = 20s;  // for anything that should take well under a second

NfcSource::Options quick(std::string connstring, std::chrono::milliseconds poll = 50ms) {
    NfcSource::Options o;
    o.connstring = std::move(connstring);
    o.poll_every = poll;
    o.retry_first = 100ms;
    o.retry_max = 500ms;
    return o;
}

TagSpec ntag(const std::string& uid, std::optional<std::string> text = std::nullopt) {
    TagSpec spec;
    spec.uid = parse_hex(uid);
    spec.text = std::move(text);
    return spec;
}

TagSpec card(const std::string& uid, TagType type) {
    TagSpec spec;
    spec.uid = parse_hex(uid);
    spec.type = type;
    return spec;
}

struct Rig {
    TempDir dir;
    Pn532Emulator emulator{Pn532Emulator::Options{dir.file("reader"), {}}};
    ScanQueue queue;
    NfcSource source;

    explicit Rig(std::chrono::milliseconds poll = 50ms) : source(quick(emulator.connstring(), poll)) {}

    bool state_is(SourceState state) { return source.status().state == state; }
    bool wait_until_state(SourceState state) {
        return wait_until([&] { return state_is(state); }, patience);
    }
    void start_ready() {
        source.start(queue);
        REQUIRE(wait_until([&] { return state_is(SourceState::ready); }, patience));
    }
    RawScan next_scan() {
        auto scan = queue.wait_next(patience);
        REQUIRE(scan);
        return *scan;
    }
    // Enough polls that a second scan, if the source were to make one, would have come.
    // Searches (4A) and presence checks (40 on NTAG, 42 on ISO 14443-4, 4A on Classic).
    std::uint64_t polls() const {
        return emulator.commands_seen(0x4A) + emulator.commands_seen(0x40) + emulator.commands_seen(0x42);
    }
    void let_it_poll(std::uint64_t how_many = 10) {
        const auto before = polls();
        REQUIRE(wait_until([&] { return polls() >= before + how_many; }, patience));
    }
};

}  // namespace

TEST_CASE("NFC tap: a UID-only NTAG gives one scan with the UID", "[nfc]") {
    Rig rig;
    rig.start_ready();
    CHECK(rig.source.status().message.find("ready") != std::string::npos);
    // The line staff read: "NFC reader ready (the reader)", the name said once.
    const std::string line = status_line(rig.source.status());
    CHECK(line.rfind("NFC reader ready (", 0) == 0);
    CHECK(line.find("NFC reader", 1) == std::string::npos);
    rig.emulator.place_tag(ntag("04A1B2C3D4E5F6"));
    const RawScan scan = rig.next_scan();
    CHECK(scan.input == InputKind::nfc);
    CHECK(scan.nfc_uid == "04A1B2C3D4E5F6");
    CHECK(scan.payload.empty());
    rig.let_it_poll();
    CHECK(rig.queue.drain().empty());
}

TEST_CASE("NFC tap: a 4-byte MIFARE Classic gives its UID", "[nfc]") {
    Rig rig;
    rig.start_ready();
    const TagSpec classic = card("DEADBEEF", TagType::mifare_classic_1k);
    rig.emulator.place_tag(classic);
    const RawScan scan = rig.next_scan();
    CHECK(scan.nfc_uid == "DEADBEEF");
    CHECK(scan.payload.empty());
    rig.let_it_poll();  // held: libnfc re-selects it by UID to see it is still there
    CHECK(rig.queue.drain().empty());
}

TEST_CASE("NFC tap: an NDEF text card gives the token as payload beside the UID", "[nfc]") {
    Rig rig;
    rig.start_ready();
    const std::string token = sample_token();
    REQUIRE(token.size() == 123);
    rig.emulator.place_tag(ntag("04112233445566", token));
    const RawScan scan = rig.next_scan();
    CHECK(scan.nfc_uid == "04112233445566");
    CHECK(scan.payload == token);

    // A long record (three-byte TLV length, several hundred bytes) on an NTAG216.
    rig.emulator.remove_tag();
    TagSpec big = ntag("04778899AABBCC", std::string(600, 'Q') + "ß");
    big.type = TagType::ntag216;
    rig.emulator.place_tag(big);
    const RawScan long_scan = rig.next_scan();
    CHECK(long_scan.nfc_uid == "04778899AABBCC");
    CHECK(long_scan.payload == std::string(600, 'Q') + "ß");
}

TEST_CASE("NFC tap: unknown cards (bank card, URL tag, blank tag, odd NTAG) give their UID only", "[nfc]") {
    Rig rig;
    rig.start_ready();
    const TagSpec bank = card("08A1B2C3", TagType::iso14443_4);  // random-UID style, SAK 0x20
    TagSpec url = ntag("04010203040506");
    url.ndef_message = ndef_uri_message("example.org/badge");
    TagSpec blank = ntag("04F1F2F3F4F5F6");
    blank.ndef_formatted = false;
    TagSpec four_byte_ntag = ntag("11223344", "M1:SHORTUID");  // ATQA 00 04 SAK 00: libnfc cannot ping it

    for (const TagSpec* spec : std::initializer_list<const TagSpec*>{&bank, &url, &blank, &four_byte_ntag}) {
        rig.emulator.place_tag(*spec);
        const RawScan scan = rig.next_scan();
        CHECK(scan.nfc_uid == uid_hex(spec->uid));
        CHECK(scan.payload == (spec == &four_byte_ntag ? "M1:SHORTUID" : ""));
        rig.let_it_poll();
        CHECK(rig.queue.drain().empty());  // held, not rescanned
        rig.emulator.remove_tag();
        rig.let_it_poll();
    }
    CHECK(rig.state_is(SourceState::ready));
}

TEST_CASE("NFC held card: 10 s on the reader is one scan, lifted and tapped again is a second", "[nfc]") {
    // A held card has no clock in the source: each poll period it only asks whether the tag
    // is still there. So "10 s" is the presence checks 10 s bring at the default period, and
    // a short period makes as many in a fraction of the time.
    const std::uint64_t checks_in_10s = 10s / NfcSource::Options{}.poll_every;
    Rig rig(5ms);
    rig.start_ready();
    rig.emulator.place_tag(ntag("04C0FFEE000001", sample_token('B')));
    const RawScan first = rig.next_scan();
    CHECK(first.payload == sample_token('B'));

    const auto checks_before = rig.emulator.commands_seen(0x40);
    REQUIRE(wait_until([&] { return rig.emulator.commands_seen(0x40) >= checks_before + checks_in_10s; }, patience));
    CHECK(rig.queue.drain().empty());

    rig.emulator.remove_tag();
    rig.let_it_poll();
    CHECK(rig.queue.drain().empty());
    rig.emulator.place_tag(ntag("04C0FFEE000001", sample_token('B')));
    const RawScan second = rig.next_scan();
    CHECK(second.nfc_uid == "04C0FFEE000001");
    CHECK(rig.source.scans_reported() == 2);
}

TEST_CASE("NFC reader goes silent mid-poll: status leaves ready with a reason, then recovers", "[nfc]") {
    Rig rig;
    rig.start_ready();
    rig.emulator.go_silent();
    REQUIRE(rig.wait_until_state(SourceState::unavailable));
    const std::string message = rig.source.status().message;
    CHECK(message.find("stopped answering") != std::string::npos);
    CHECK(message.find("reconnecting") != std::string::npos);
    // It keeps trying while the reader is silent...
    REQUIRE(wait_until([&] { return rig.emulator.frames_dropped_silent() > 10; }, patience));
    // ...and is back by itself once the reader answers again.
    rig.emulator.come_back();
    REQUIRE(rig.wait_until_state(SourceState::ready));
    rig.emulator.place_tag(ntag("04AB0000000001", "M1:AFTER-SILENCE"));
    CHECK(rig.next_scan().payload == "M1:AFTER-SILENCE");
}

TEST_CASE("NFC garbled frames: no crash, no lost or doubled tap", "[nfc]") {
    Rig rig;
    rig.start_ready();
    // A garbled answer to an idle search...
    rig.emulator.send_garbled_next_frame();
    rig.let_it_poll();
    CHECK(rig.state_is(SourceState::ready));
    // ...and garbled answers while a token card is being read and checked.
    rig.emulator.place_tag(ntag("04BADF00D00001", sample_token('C')));
    rig.emulator.send_garbled_next_frame();
    const RawScan scan = rig.next_scan();
    CHECK(scan.payload == sample_token('C'));
    for (int i = 0; i < 3; ++i) {
        rig.emulator.send_garbled_next_frame();
        rig.let_it_poll(4);
    }
    CHECK(rig.queue.drain().empty());
    CHECK(rig.state_is(SourceState::ready));
}

TEST_CASE("NFC no reader at start: unavailable with the path, keeps retrying, stop() is prompt", "[nfc]") {
    TempDir dir;
    ScanQueue queue;
    const std::string missing = dir.file("no-such-reader");
    NfcSource source(quick("pn532_uart:" + missing + ":115200"));
    source.start(queue);
    REQUIRE(wait_until([&] { return source.status().state == SourceState::unavailable; }, patience));
    CHECK(source.status().message.find("no reader at " + missing) != std::string::npos);
    CHECK(source.status().message.find("retrying") != std::string::npos);
    // The line staff read names the reader once: "NFC reader unavailable: ...", nothing in front.
    const std::string line = status_line(source.status());
    CHECK(line.rfind("NFC reader unavailable: ", 0) == 0);
    CHECK(line.find("NFC reader", 1) == std::string::npos);
    // "unavailable" is reported just before the back-off: the source is waiting it out now.
    const auto t0 = std::chrono::steady_clock::now();
    source.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 1s);
    CHECK(queue.statuses().at(InputKind::nfc).state == SourceState::unavailable);
}

TEST_CASE("NFC reader plugged in after start, unplugged and back: a held card stays one scan", "[nfc]") {
    Rig rig;
    rig.emulator.unplug();
    rig.source.start(rig.queue);
    REQUIRE(rig.wait_until_state(SourceState::unavailable));
    CHECK(rig.source.status().message.find("unplugged") != std::string::npos);

    rig.emulator.plug();
    REQUIRE(rig.wait_until_state(SourceState::ready));
    rig.emulator.place_tag(ntag("04DDEEFF001122"));
    CHECK(rig.next_scan().nfc_uid == "04DDEEFF001122");

    rig.emulator.unplug();  // the card stays on the reader meanwhile
    REQUIRE(rig.wait_until_state(SourceState::unavailable));
    rig.emulator.plug();
    REQUIRE(rig.wait_until_state(SourceState::ready));
    rig.let_it_poll();
    CHECK(rig.queue.drain().empty());  // same card, same tap

    rig.emulator.remove_tag();
    rig.let_it_poll();
    rig.emulator.place_tag(ntag("04DDEEFF001122"));
    CHECK(rig.next_scan().nfc_uid == "04DDEEFF001122");
}

TEST_CASE("NFC enrolment: wait_for_tag returns the next tap and keeps it out of the scans", "[nfc]") {
    Rig rig;
    rig.start_ready();
    CHECK_FALSE(rig.source.wait_for_tag(200ms));  // nothing tapped

    std::optional<muster::nfc::TagRead> got;
    std::thread staff([&] { got = rig.source.wait_for_tag(patience); });
    // The waiter only counts taps after its call: tap once it is registered.
    REQUIRE(wait_until([&] { return rig.source.enrolment_waiting(); }, patience));
    rig.emulator.place_tag(ntag("04E0E0E0E0E0E0"));
    staff.join();
    REQUIRE(got);
    CHECK(got->uid == "04E0E0E0E0E0E0");
    CHECK_FALSE(got->text);
    rig.let_it_poll();
    CHECK(rig.queue.drain().empty());

    // With no waiter the next tap is an ordinary scan again.
    rig.emulator.remove_tag();
    rig.let_it_poll();
    rig.emulator.place_tag(ntag("04E0E0E0E0E0E0"));
    CHECK(rig.next_scan().nfc_uid == "04E0E0E0E0E0E0");

    // stop() releases a waiting staff screen at once.
    std::thread late([&] { got = rig.source.wait_for_tag(patience); });
    REQUIRE(wait_until([&] { return rig.source.enrolment_waiting(); }, patience));
    const auto t0 = std::chrono::steady_clock::now();
    rig.source.stop();
    late.join();
    CHECK_FALSE(got);
    CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}
