// muster-kiosk --headless as a real process on a demo hub: scanner lines in, JSON out,
// records in the device's SQLite file; killed with SIGKILL mid-burst; a missing camera;
// a room device; a QR image file; an NFC reader (the PN532 emulator).
#include "kiosk_fixture.hpp"
#include "kiosk_process.hpp"
#include "log_lines.hpp"

#include "muster/store/check_in_store.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <stb/stb_image_write.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

using namespace std::chrono_literals;
using namespace muster;
using test::json_field;

namespace {

std::set<std::string> uuids_in(const std::string& db_path) {
    auto db = store::open_database(db_path);
    auto s = db->prepare("SELECT uuid FROM check_ins");
    std::set<std::string> out;
    while (s.step()) out.insert(s.text(0));
    return out;
}

std::string slurp(const std::string& path) {
    std::ifstream f(path);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

TEST_CASE("headless: scanner lines in, one JSON object per scan out, each recorded", "[kiosk][headless]") {
    test::DemoHub hub;
    test::KioskProcess kiosk(hub.entrance(), hub.dir.file("stderr.log"));
    kiosk.send(hub.token(1));
    auto first = kiosk.read_line(20s);
    REQUIRE(first);
    CHECK(json_field(*first, "outcome") == "checked_in");
    CHECK(json_field(*first, "participant_id") == "1");
    CHECK(json_field(*first, "input") == "scanner");
    CHECK(json_field(*first, "name").find('.') != std::string::npos);  // "First I.", never a full name
    kiosk.send(hub.token(1) + "\r");  // CRLF scanners
    CHECK(json_field(*kiosk.read_line(20s), "outcome") == "already_checked_in");
    kiosk.send("");  // an empty line is not a scan
    kiosk.send("   ");  // nor one of spaces and tabs (README: empty lines ignored)
    kiosk.send("\t \t\r");
    kiosk.send("NOT-A-BADGE");
    auto refused = kiosk.read_line(20s);
    CHECK(json_field(*refused, "outcome") == "invalid_badge");
    CHECK(json_field(*refused, "reason") == "This is not a Muster badge");
    kiosk.close_stdin();
    CHECK(kiosk.wait(20s) == 0);
    auto stored = uuids_in(hub.device_db());
    CHECK(stored.size() == 3);  // two check-ins and the one bad badge: no record for a blank line
    CHECK(stored.count(json_field(*first, "check_in")) == 1);
    // The start-up line: how long until ready, and which device (no personal data).
    auto ready = test::find_log(hub.dir.file("stderr.log"), "ready");
    REQUIRE(ready);
    CHECK(ready->at("ms").is_int64());
    CHECK(test::text_of(*ready, "device") == "entrance-1");
}

TEST_CASE("killed with SIGKILL in a burst: every reported scan is stored once, and it carries on", "[kiosk][headless][crash]") {
    test::DemoHub hub;
    std::vector<std::string> tokens;
    for (ParticipantId id = 3; id <= 200; ++id) tokens.push_back(hub.token(id));
    std::set<std::string> reported;
    {
        test::KioskProcess kiosk(hub.entrance(), hub.dir.file("stderr.log"));
        for (const auto& t : tokens) kiosk.send(t);  // a burst, faster than it can answer
        for (int i = 0; i < 80; ++i) {
            auto line = kiosk.read_line(20s);
            REQUIRE(line);
            reported.insert(json_field(*line, "check_in"));
        }
        kiosk.kill_hard();  // the plug is pulled mid-burst
    }
    auto after_crash = uuids_in(hub.device_db());
    for (const auto& uuid : reported) CHECK(after_crash.count(uuid) == 1);
    // Scans it had committed but not yet reported may exist; nothing is recorded twice.
    CHECK(after_crash.size() >= reported.size());
    CHECK(after_crash.size() <= tokens.size());

    test::KioskProcess again(hub.entrance(), hub.dir.file("stderr.log"));
    again.send(hub.token(3));
    auto line = again.read_line(20s);
    REQUIRE(line);
    CHECK(json_field(*line, "outcome") == "already_checked_in");  // it remembers
    CHECK(std::stoll(json_field(*line, "device_seq")) == static_cast<long long>(after_crash.size()) + 1);
    again.close_stdin();
    CHECK(again.wait(20s) == 0);
    auto db = store::open_database(hub.device_db());
    auto dup = db->prepare("SELECT count(*) - count(DISTINCT device_seq) FROM check_ins WHERE device_id = 'entrance-1'");
    dup.step();
    CHECK(dup.int64(0) == 0);
}

TEST_CASE("a bad device file stops the kiosk with the field named", "[kiosk][headless]") {
    test::DemoHub hub;
    auto text = slurp(hub.entrance());
    text.replace(text.find("event = 1"), 9, "event = 999");
    std::ofstream(hub.dir.file("bad.toml")) << text;
    std::filesystem::copy_file(hub.hub + "/hub-public.pem", hub.dir.file("hub-public.pem"));
    std::filesystem::copy_file(hub.device_db(), hub.dir.file("device.db"));
    std::filesystem::copy_file(hub.hub + "/devices/entrance-1/trn.key", hub.dir.file("trn.key"));  // its TRN hashes' key
    test::KioskProcess kiosk(hub.dir.file("bad.toml"), hub.dir.file("stderr.log"));
    CHECK(kiosk.wait(20s) == 2);
    auto error = test::find_log(hub.dir.file("stderr.log"), "config_error");
    REQUIRE(error);
    CHECK_THAT(test::text_of(*error, "error"), Catch::Contains("device.event: event 999"));
}

TEST_CASE("camera missing: the kiosk says so and keeps taking scanner input", "[kiosk][headless][camera]") {
    test::DemoHub hub;
    auto text = slurp(hub.entrance());
    text.replace(text.find("camera = false"), 14, "camera = true");
    text.replace(text.find("/dev/video0"), 11, "/dev/video99");
    std::ofstream(hub.entrance(), std::ios::trunc) << text;
    test::KioskProcess kiosk(hub.entrance(), hub.dir.file("stderr.log"), {"--keep-running"});
    kiosk.send(hub.token(5));
    auto line = kiosk.read_line(20s);
    REQUIRE(line);
    CHECK(json_field(*line, "outcome") == "checked_in");
    auto said = test::wait_for_log(
        hub.dir.file("stderr.log"), "input",
        [](const auto& l) { return test::text_of(l, "input") == "camera" && test::text_of(l, "state") == "unavailable"; }, 10s);
    REQUIRE(said);
    CHECK_THAT(test::text_of(*said, "message"), Catch::Contains("camera unavailable") && Catch::Contains("/dev/video99"));
}

TEST_CASE("a room device welcomes its room and sends others to theirs", "[kiosk][headless][room]") {
    test::DemoHub hub;
    auto db = store::open_database(hub.device_db("room-1"));
    auto room_id = store::load_event(*db, 1)->rooms.at(0).id;
    std::optional<ParticipantId> in_room, elsewhere;
    for (const auto& e : store::enrolments(*db, 1)) {
        if (e.room_id == room_id && !in_room) in_room = e.participant_id;
        if (e.room_id && *e.room_id != room_id && !elsewhere) elsewhere = e.participant_id;
    }
    REQUIRE(in_room);
    REQUIRE(elsewhere);
    test::KioskProcess kiosk(hub.room(), hub.dir.file("stderr.log"));
    kiosk.send(hub.token(*in_room));
    CHECK(json_field(*kiosk.read_line(20s), "outcome") == "checked_in");
    kiosk.send(hub.token(*elsewhere));
    auto wrong = kiosk.read_line(20s);
    CHECK(json_field(*wrong, "outcome") == "wrong_room");
    CHECK_THAT(json_field(*wrong, "reason"), Catch::StartsWith("Your room is Room "));
}

TEST_CASE("scan-image checks in the QR code of an image file, an unreadable file is reported", "[kiosk][headless][camera]") {
    test::DemoHub hub;
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(4);
    auto matrix = writer.encode(hub.token(7), 400, 400);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(matrix.width() * matrix.height()));
    for (int y = 0; y < matrix.height(); ++y)
        for (int x = 0; x < matrix.width(); ++x) pixels[static_cast<std::size_t>(y * matrix.width() + x)] = matrix.get(x, y) ? 0 : 255;
    REQUIRE(stbi_write_png(hub.dir.file("badge.png").c_str(), matrix.width(), matrix.height(), 1, pixels.data(), matrix.width()));
    std::ofstream(hub.dir.file("notes.png")) << "not an image";
    test::KioskProcess kiosk(hub.entrance(), hub.dir.file("stderr.log"),
                             {"--scan-image", hub.dir.file("badge.png"), "--scan-image", hub.dir.file("notes.png")});
    kiosk.close_stdin();
    auto ok = kiosk.read_line(20s);
    REQUIRE(ok);
    CHECK(json_field(*ok, "outcome") == "checked_in");
    CHECK(json_field(*ok, "participant_id") == "7");
    CHECK(json_field(*ok, "input") == "camera");
    auto bad = kiosk.read_line(20s);
    REQUIRE(bad);
    CHECK(json_field(*bad, "outcome") == "error");
    CHECK_THAT(json_field(*bad, "reason"), Catch::Contains("cannot read") && Catch::Contains("notes.png"));
    CHECK(kiosk.wait(20s) == 1);  // a file it could not read makes the run fail
}

TEST_CASE("headless: a kiosk whose event is long over purges its roster at start and records no scan",
          "[kiosk][headless][privacy]") {
    test::DemoHub hub;
    std::int64_t outbox_before = 0;
    {
        // The event took place in January 2020: well past its last day plus 7 days.
        auto db = store::open_database(hub.device_db());
        db->exec("UPDATE events SET local_date = '2020-01-06' WHERE id = 1");
        auto start = uk_time::from_local({2020, 1, 6, 9, 0, 0});
        db->prepare("UPDATE sessions SET starts_ms = ?1 + (id * 7200000), ends_ms = ?1 + (id * 7200000) + 3600000 WHERE event_id = 1")
            .bind(1, start)
            .run();
        REQUIRE(db->prepare("SELECT count(*) FROM participants").query_one([](const db::Statement& r) { return r.int64(0); }) > 0);
        outbox_before = *db->prepare("SELECT count(*) FROM outbox").query_one([](const db::Statement& r) { return r.int64(0); });
    }
    test::KioskProcess kiosk(hub.entrance(), hub.dir.file("stderr.log"));
    kiosk.send(hub.token(1));
    auto answer = kiosk.read_line(20s);
    REQUIRE(answer);
    CHECK(json_field(*answer, "outcome") == "roster_removed");
    kiosk.close_stdin();
    CHECK(kiosk.wait(20s) == 0);

    auto purged = test::find_log(hub.dir.file("stderr.log"), "roster_purged");
    REQUIRE(purged);
    CHECK(purged->at("people").as_int64() > 0);
    CHECK(purged->at("records_kept").as_int64() == outbox_before);
    auto db = store::open_database(hub.device_db());
    auto count = [&](const char* sql) { return *db->prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }); };
    CHECK(count("SELECT count(*) FROM participants") == 0);
    CHECK(count("SELECT count(*) FROM badges") == 0);
    CHECK(count("SELECT count(*) FROM outbox") == outbox_before);  // nothing unsent was lost, nothing new recorded
    // The log has counts, never a name.
    CHECK(slurp(hub.dir.file("stderr.log")).find("\"people\"") != std::string::npos);
}
