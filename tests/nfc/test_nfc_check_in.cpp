// A tap, end to end: the PN532 emulator, real libnfc, NfcSource, the scan queue, the
// core's CheckInDesk and the device's SQLite file. What is asserted is what a kiosk
// would store and show.
#include "nfc_source.hpp"
#include "nfc_test_support.hpp"
#include "pn532_emulator.hpp"
#include "scan_queue.hpp"
#include "test_hub.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/check_in_store.hpp"

#include "command.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <sstream>

using namespace std::chrono_literals;
using namespace muster;
using namespace muster::test::pn532;

namespace {

struct TapRig {
    test::TestHub hub{uk_time::now_ms()};
    Pn532Emulator emulator{Pn532Emulator::Options{hub.dir.file("reader"), {}}};
    kiosk::ScanQueue queue;
    kiosk::nfc::NfcSource source{[&] {
        kiosk::nfc::NfcSource::Options o;
        o.connstring = emulator.connstring();
        o.retry_first = 100ms;
        o.retry_max = 500ms;
        return o;
    }()};
    checkin::CheckInDesk desk{*hub.db, hub.keys.public_key(),
                              {"door-nfc", DeviceMode::entrance, hub.event, hub.loaded.sessions.at(0).id, std::nullopt,
                               Direction::entry}};

    TapRig() {
        source.start(queue);
        REQUIRE(test::wait_until([&] { return source.status().state == kiosk::SourceState::ready; }, 20s));
    }
    ~TapRig() { source.stop(); }

    // Places the card, waits for its scan, and checks it in as the kiosk does.
    checkin::ScanResult tap(const TagSpec& card) {
        emulator.place_tag(card);
        auto raw = queue.wait_next(20s);
        REQUIRE(raw);
        return desk.scan({Method::nfc, raw->payload, raw->nfc_uid}, uk_time::now_ms());
    }
    void lift() { emulator.remove_tag(); }
};

TagSpec card(const std::string& uid, std::optional<std::string> token = std::nullopt) {
    TagSpec spec;
    spec.uid = parse_hex(uid);
    spec.text = std::move(token);
    return spec;
}

std::size_t stored_check_ins(db::Database& db) {
    auto s = db.prepare("SELECT count(*) FROM check_ins");
    s.step();
    return static_cast<std::size_t>(s.int64(0));
}

}  // namespace

TEST_CASE("tap to check-in: a UID-only card enrolled to a participant", "[nfc][checkin]") {
    TapRig rig;
    auto sian = rig.hub.id_of_trn("1234567");
    store::attach_card(*rig.hub.db, "04A1B2C3D4E5F6", sian, uk_time::now_ms(), 1);
    auto r = rig.tap(card("04A1B2C3D4E5F6"));
    CHECK(r.decision.outcome == Outcome::checked_in);
    CHECK(r.record.method == Method::nfc);
    auto stored = store::find_check_in(*rig.hub.db, r.record.uuid);
    REQUIRE(stored);
    CHECK(stored->participant_id == sian);
}

TEST_CASE("tap to check-in: a card carrying a signed token, which wins over its UID", "[nfc][checkin]") {
    TapRig rig;
    auto rhys = rig.hub.id_of_trn("3456789");
    store::attach_card(*rig.hub.db, "DEADBEEF", rig.hub.id_of_trn("1234567"), uk_time::now_ms(), 1);
    auto r = rig.tap(card("DEADBEEF", rig.hub.token_for(rhys)));
    CHECK(r.decision.outcome == Outcome::checked_in);
    CHECK(r.record.participant_id == rhys);
}

TEST_CASE("tap to check-in: a token card with a bad signature is refused and recorded", "[nfc][checkin]") {
    TapRig rig;
    auto token = rig.hub.token_for(rig.hub.id_of_trn("3456789"));
    token[100] = token[100] == 'A' ? 'B' : 'A';
    auto r = rig.tap(card("04112233445566", token));
    CHECK(r.decision.outcome == Outcome::invalid_badge);
    CHECK_THAT(r.decision.reason, Catch::Contains("signature"));
    CHECK_FALSE(r.record.participant_id);
    CHECK(store::find_check_in(*rig.hub.db, r.record.uuid));
}

TEST_CASE("tap to check-in: an unknown card", "[nfc][checkin]") {
    TapRig rig;
    auto r = rig.tap(card("0A0B0C0D"));
    CHECK(r.decision.outcome == Outcome::unknown_badge);
    CHECK(r.decision.reason == "This card is not registered to anyone");
}

TEST_CASE("a card held on the reader is one check-in, lifted and tapped again it is 'already checked in'", "[nfc][checkin]") {
    TapRig rig;
    auto sian = rig.hub.id_of_trn("1234567");
    store::attach_card(*rig.hub.db, "04A1B2C3D4E5F6", sian, uk_time::now_ms(), 1);
    CHECK(rig.tap(card("04A1B2C3D4E5F6")).decision.outcome == Outcome::checked_in);
    CHECK_FALSE(rig.queue.wait_next(3s));  // held for 3 s: nothing more
    rig.lift();
    auto again = rig.tap(card("04A1B2C3D4E5F6"));
    CHECK(again.decision.outcome == Outcome::already_checked_in);
    CHECK(stored_check_ins(*rig.hub.db) == 2);
}

TEST_CASE("the reader vanishing and coming back: check-ins carry on afterwards", "[nfc][checkin]") {
    TapRig rig;
    auto sian = rig.hub.id_of_trn("1234567");
    store::attach_card(*rig.hub.db, "04A1B2C3D4E5F6", sian, uk_time::now_ms(), 1);
    rig.emulator.unplug();
    REQUIRE(test::wait_until([&] { return rig.source.status().state != kiosk::SourceState::ready; }, 20s));
    CHECK_FALSE(rig.source.status().message.empty());
    rig.emulator.plug();
    REQUIRE(test::wait_until([&] { return rig.source.status().state == kiosk::SourceState::ready; }, 20s));
    CHECK(rig.tap(card("04A1B2C3D4E5F6")).decision.outcome == Outcome::checked_in);
}

TEST_CASE("muster card enrol attaches the next card tapped on the reader", "[nfc][cli]") {
    TapRig rig;
    rig.source.stop();  // the CLI opens the reader itself
    auto zoe = rig.hub.id_of_trn("2345678");
    // The CLI works on a hub folder: point it at the test hub's database.
    std::filesystem::create_directories(rig.hub.dir.path() / "hubdir");
    std::filesystem::create_symlink(rig.hub.dir.path() / "hub.db", rig.hub.dir.path() / "hubdir" / "hub.db");
    std::ostringstream out, err;
    auto run = std::async(std::launch::async, [&] {
        return admin::run_cli({"card", "enrol", "--participant", std::to_string(zoe), "--reader", rig.emulator.connstring(),
                               "--timeout", "30", "--hub", rig.hub.dir.file("hubdir")},
                              out, err);
    });
    // Tap once the CLI's reader is polling (it waits for the next *new* card).
    REQUIRE(test::wait_until([&] { return rig.emulator.empty_searches() > 3; }, 20s));
    rig.emulator.place_tag(card("04C0FFEE123456"));
    REQUIRE(run.wait_for(30s) == std::future_status::ready);
    CHECK(run.get() == 0);
    CHECK_THAT(out.str(), Catch::Contains("Card 04C0FFEE123456 now checks in participant " + std::to_string(zoe)));
    CHECK(store::card_owner(*rig.hub.db, "04C0FFEE123456") == zoe);
}

TEST_CASE("muster card enrol without a reader says so and attaches nothing", "[nfc][cli]") {
    test::TestHub hub;
    std::filesystem::create_directories(hub.dir.path() / "hubdir");
    std::filesystem::create_symlink(hub.dir.path() / "hub.db", hub.dir.path() / "hubdir" / "hub.db");
    std::ostringstream out, err;
    int code = admin::run_cli({"card", "enrol", "--participant", "1", "--reader", "pn532_uart:" + hub.dir.file("nothing-here"),
                               "--timeout", "2", "--hub", hub.dir.file("hubdir")},
                              out, err);
    CHECK(code == 1);
    CHECK_THAT(err.str(), Catch::StartsWith("No card was tapped. NFC reader unavailable: "));
    // The reader's state is said once, not behind a prefix that repeats it.
    auto first = err.str().find("NFC reader");
    CHECK(err.str().find("NFC reader", first + 1) == std::string::npos);
}
