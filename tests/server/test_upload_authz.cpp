// A correctly signed but hostile device, against the real muster-sync-server: every record
// an honest kiosk could not have made is refused with its code, and neither the hub's
// records nor the attendance export change. Each hub first stores honest records from both
// demo devices, so the export has rows to protect and a void has a target.
#include "http_probe.hpp"
#include "log_lines.hpp"
#include "sync_fixture.hpp"

#include "command.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;
using sync::RejectionCode;

namespace {

struct HonestHub : RunningHub {
    RoomId room = 0;          // room-1's room at event 1
    RoomId other_room = 0;    // another room at event 1
    SessionId other_event_session = 0;
    CheckIn entrance_scan = make_check_in("entrance-1", 1, 1);
    CheckIn room_scan = make_check_in("room-1", 1, 3);

    HonestHub() {
        room = hub.count("SELECT room_id FROM devices WHERE id = 'room-1'");
        other_room = hub.count("SELECT id FROM rooms WHERE event_id = 1 AND id <> " + std::to_string(room) + " LIMIT 1");
        other_event_session = hub.count("SELECT id FROM sessions WHERE event_id = 2 LIMIT 1");
        room_scan.room_id = room;
        auto a = upload("entrance-1", {entrance_scan});
        auto b = upload("room-1", {room_scan});
        if (a.acked.size() != 1 || b.acked.size() != 1) throw std::runtime_error("honest records were not stored");
    }

    sync::UploadReply upload(const std::string& device, std::vector<CheckIn> check_ins,
                             std::vector<Correction> corrections = {}, TimeMs device_time = uk_time::now_ms()) {
        sync::UploadBatch b;
        b.device_time_ms = device_time;
        b.check_ins = std::move(check_ins);
        b.corrections = std::move(corrections);
        auto r = signed_request(port(), "POST", "/v1/upload", sync::to_json(b), hub.as(device));
        if (r.status != 200) throw std::runtime_error("upload answered " + std::to_string(r.status) + ": " + r.body);
        return sync::parse_upload_reply(r.body);
    }

    std::string attendance_export() const {
        std::ostringstream out, err;
        if (admin::run_cli({"attendance", "export", "--hub", hub.hub}, out, err) != 0)
            throw std::runtime_error("export failed: " + err.str());
        return out.str();
    }

    // What must not change: the hub's records, every column, and the export.
    std::pair<std::string, std::string> state() const { return {hub.stored_records(), attendance_export()}; }

    // Sends one hostile record from `device` and checks it is refused with `code`, alone,
    // and that nothing at the hub changed.
    void expect_refused(const std::string& device, const CheckIn& c, RejectionCode code) {
        auto before = state();
        auto reply = upload(device, {c});
        INFO("refused with: " << (reply.rejected.empty() ? "" : reply.rejected[0].reason));
        CHECK(reply.acked.empty());
        REQUIRE(reply.rejected.size() == 1);
        CHECK(reply.rejected[0].uuid == c.uuid);
        CHECK(reply.rejected[0].code == code);
        CHECK(state() == before);
    }
    void expect_refused(const std::string& device, const Correction& c, RejectionCode code) {
        auto before = state();
        auto reply = upload(device, {}, {c});
        CHECK(reply.acked.empty());
        REQUIRE(reply.rejected.size() == 1);
        CHECK(reply.rejected[0].code == code);
        CHECK(state() == before);
    }
};

Correction void_of(const CheckIn& target, const std::string& by) {
    Correction v;
    TimeMs now = uk_time::now_ms();
    v.uuid = new_uuid(now);
    v.kind = CorrectionKind::void_scan;
    v.target_uuid = target.uuid;
    v.participant_id = target.participant_id;
    v.event_id = target.event_id;
    v.session_id = target.session_id;
    v.reason = "scanned the wrong badge";
    v.author = "Grace";
    v.device_id = by;
    v.created_ms = now;
    return v;
}

}  // namespace

TEST_CASE("Attack: a device cannot void another device's scan, mark attendance, or invent an author", "[sync][authz]") {
    HonestHub h;
    REQUIRE_FALSE(h.attendance_export().empty());
    h.expect_refused("entrance-1", void_of(h.room_scan, "entrance-1"), RejectionCode::not_allowed);
    auto as_room = void_of(h.room_scan, "room-1");  // and not by naming the other device either
    h.expect_refused("entrance-1", as_room, RejectionCode::not_this_device);

    Correction mark;
    mark.uuid = new_uuid(uk_time::now_ms());
    mark.kind = CorrectionKind::mark;
    mark.participant_id = 5;
    mark.event_id = 1;
    mark.status = AttendanceStatus::present;
    mark.reason = "was there all day";
    mark.author = "entrance-1";
    mark.device_id = "entrance-1";
    mark.created_ms = uk_time::now_ms();
    h.expect_refused("entrance-1", mark, RejectionCode::not_allowed);
    mark.uuid = new_uuid(uk_time::now_ms());
    mark.author = "Hub Director";  // a made-up member of staff
    mark.status = AttendanceStatus::excused;
    h.expect_refused("entrance-1", mark, RejectionCode::not_allowed);

    // Its own scan it may void: the rule is not "no voids".
    auto reply = h.upload("entrance-1", {}, {void_of(h.entrance_scan, "entrance-1")});
    CHECK(reply.acked.size() == 1);
    CHECK(h.hub.count("SELECT COUNT(*) FROM corrections") == 1);
}

TEST_CASE("Attack: badges the hub never issued, and participants it does not have", "[sync][authz]") {
    HonestHub h;
    auto no_badge = make_check_in("entrance-1", 2, 4);
    no_badge.badge_serial.reset();
    h.expect_refused("entrance-1", no_badge, RejectionCode::unknown_badge);
    auto not_theirs = make_check_in("entrance-1", 2, 4);
    not_theirs.badge_serial = 9;  // participant 4 holds serial 1 only
    h.expect_refused("entrance-1", not_theirs, RejectionCode::unknown_badge);
    auto no_card = make_check_in("entrance-1", 2, 4);  // an NFC check-in for someone with no card
    no_card.method = Method::nfc;
    no_card.badge_serial.reset();
    h.expect_refused("entrance-1", no_card, RejectionCode::unknown_badge);
    h.expect_refused("entrance-1", make_check_in("entrance-1", 2, 99999), RejectionCode::unknown_participant);
    auto negative = make_check_in("entrance-1", 2, -3);
    negative.badge_serial.reset();
    negative.method = Method::manual;
    negative.staff = "Grace";
    negative.reason = "forgot badge";
    h.expect_refused("entrance-1", negative, RejectionCode::unknown_participant);
    auto nobody = make_check_in("entrance-1", 2);
    nobody.participant_id.reset();
    nobody.badge_serial.reset();
    h.expect_refused("entrance-1", nobody, RejectionCode::bad_field);  // checked in, but who?

    // The same person with their own badge is stored: the refusals were about the badge.
    CHECK(h.upload("entrance-1", {make_check_in("entrance-1", 2, 4)}).acked.size() == 1);
}

TEST_CASE("Attack: sessions and rooms that are not the device's", "[sync][authz]") {
    HonestHub h;
    REQUIRE(h.other_event_session > 0);
    auto elsewhere = make_check_in("entrance-1", 2, 4);
    elsewhere.session_id = h.other_event_session;
    h.expect_refused("entrance-1", elsewhere, RejectionCode::unknown_session);
    auto no_such_room = make_check_in("entrance-1", 2, 4);
    no_such_room.room_id = 987654;
    h.expect_refused("entrance-1", no_such_room, RejectionCode::wrong_room);
    auto room_claimed = make_check_in("entrance-1", 2, 4);  // an entrance device has no room
    room_claimed.room_id = h.room;
    h.expect_refused("entrance-1", room_claimed, RejectionCode::wrong_room);
    auto other_room = make_check_in("room-1", 2, 4);
    other_room.room_id = h.other_room;
    h.expect_refused("room-1", other_room, RejectionCode::wrong_room);
    auto other_event = make_check_in("entrance-1", 2, 4);
    other_event.event_id = 2;
    h.expect_refused("entrance-1", other_event, RejectionCode::wrong_event);
    h.expect_refused("entrance-1", make_check_in("room-1", 2, 4), RejectionCode::not_this_device);
}

TEST_CASE("Attack: backdated, future and nonsense times", "[sync][authz]") {
    HonestHub h;
    TimeMs now = uk_time::now_ms();
    auto backdated = make_check_in("entrance-1", 2, 4);
    backdated.device_ms = now - 5 * 86'400'000LL;
    backdated.device_offset_min = uk_time::offset_minutes(backdated.device_ms);
    h.expect_refused("entrance-1", backdated, RejectionCode::time_implausible);
    auto future = make_check_in("entrance-1", 2, 4);
    future.device_ms = now + 3'600'000;  // an hour after the device says it sent it
    future.device_offset_min = uk_time::offset_minutes(future.device_ms);
    h.expect_refused("entrance-1", future, RejectionCode::time_implausible);
    auto far_future = make_check_in("entrance-1", 2, 4);
    far_future.device_ms = now + 40 * 86'400'000LL;
    far_future.device_offset_min = uk_time::offset_minutes(far_future.device_ms);
    h.expect_refused("entrance-1", far_future, RejectionCode::time_implausible);
    auto offset = make_check_in("entrance-1", 2, 4);
    offset.device_offset_min = 330;  // not a UK offset at all
    h.expect_refused("entrance-1", offset, RejectionCode::bad_field);
    auto other_offset = make_check_in("entrance-1", 2, 4);
    other_offset.device_offset_min = 60 - uk_time::offset_minutes(other_offset.device_ms);  // the other UK offset
    h.expect_refused("entrance-1", other_offset, RejectionCode::bad_field);

    // A device whose clock is two days slow is believed, flagged with its skew: its records
    // land on the event's day in hub time.
    const TimeMs slow = 2 * 86'400'000LL;
    auto slow_clock = make_check_in("entrance-1", 2, 4);
    slow_clock.device_ms = now - slow - 1000;
    slow_clock.device_offset_min = uk_time::offset_minutes(slow_clock.device_ms);
    auto reply = h.upload("entrance-1", {slow_clock}, {}, now - slow);
    CHECK(reply.acked.size() == 1);
    CHECK(reply.clock_flagged);
    CHECK(h.hub.count("SELECT clock_skew_ms FROM check_ins WHERE uuid = '" + slow_clock.uuid + "'") < -slow + 10'000);
}

TEST_CASE("Attack: a uuid reused with other content, or another device's uuid, is a conflict and never acked", "[sync][authz]") {
    HonestHub h;
    auto changed = h.entrance_scan;
    changed.participant_id = 4;  // same uuid, another person
    h.expect_refused("entrance-1", changed, RejectionCode::conflict);
    changed = h.entrance_scan;
    changed.direction = Direction::exit;
    h.expect_refused("entrance-1", changed, RejectionCode::conflict);
    auto theirs = make_check_in("entrance-1", 2, 4);  // room-1's uuid, in entrance-1's name
    theirs.uuid = h.room_scan.uuid;
    h.expect_refused("entrance-1", theirs, RejectionCode::conflict);
    auto taken_seq = make_check_in("entrance-1", 1, 4);  // entrance-1's sequence 1 is taken
    h.expect_refused("entrance-1", taken_seq, RejectionCode::sequence_taken);

    // An identical retry is still acked, and stores nothing new.
    auto before = h.state();
    auto reply = h.upload("entrance-1", {h.entrance_scan});
    CHECK(reply.acked == std::vector<std::string>{h.entrance_scan.uuid});
    CHECK(reply.rejected.empty());
    CHECK(h.state() == before);
}

TEST_CASE("Attack: over-long and control-character text is refused record by record, the rest of the batch stored", "[sync][authz][limits]") {
    HonestHub h;
    auto honest = make_check_in("entrance-1", 2, 4);
    auto huge_reason = make_check_in("entrance-1", 3, 5);  // the issue sent 900 KB: any length over the limit
    huge_reason.reason = std::string(60'000, 'x');  // the test server takes 64 KiB bodies
    auto nul_staff = make_check_in("entrance-1", 4, 6);
    nul_staff.method = Method::manual;
    nul_staff.badge_serial.reset();
    nul_staff.reason = "Forgot badge";
    nul_staff.staff = std::string("Head\0of Hub", 11);
    auto before = h.hub.count("SELECT COUNT(*) FROM check_ins");

    auto reply = h.upload("entrance-1", {honest, huge_reason, nul_staff});
    CHECK(reply.acked == std::vector<std::string>{honest.uuid});
    REQUIRE(reply.rejected.size() == 2);
    CHECK(reply.rejected[0].uuid == huge_reason.uuid);
    CHECK(reply.rejected[0].code == RejectionCode::bad_field);
    CHECK(reply.rejected[0].reason == "reason: longer than 500 characters");
    CHECK(reply.rejected[1].uuid == nul_staff.uuid);
    CHECK(reply.rejected[1].code == RejectionCode::bad_field);
    CHECK(reply.rejected[1].reason == "staff: holds a control character");
    CHECK(h.hub.count("SELECT COUNT(*) FROM check_ins") == before + 1);
    CHECK(h.hub.count("SELECT MAX(length(reason)) FROM check_ins") <= 500);
    // The operator's log names the rules broken by code, never the text that broke them.
    auto logged = wait_for_log(
        h.hub.log(), "upload", [](const boost::json::object& line) { return text_of(line, "rejected_codes") == "bad_field:2"; },
        std::chrono::seconds(10));
    REQUIRE(logged);
    CHECK(text_of(*logged, "level") == "warn");
    CHECK(boost::json::serialize(*logged).find("Head") == std::string::npos);
}

TEST_CASE("Each check-in is flagged on its own when its device time is far from its arrival", "[sync][authz][clock]") {
    HonestHub h;
    TimeMs now = uk_time::now_ms();
    // One upload, sent by a device whose clock is right: a scan made now, and one claiming to
    // be from 40 minutes ago (a wait offline, or a backdated "on time" scan). The upload's
    // skew is small, so only the second record is flagged.
    auto fresh = make_check_in("entrance-1", 2, 4);
    auto earlier = make_check_in("entrance-1", 3, 5);
    earlier.device_ms = now - 40 * 60'000;
    earlier.device_offset_min = uk_time::offset_minutes(earlier.device_ms);
    auto reply = h.upload("entrance-1", {fresh, earlier}, {}, now);
    REQUIRE(reply.acked.size() == 2);
    CHECK_FALSE(reply.clock_flagged);
    auto gap = [&](const CheckIn& c) {
        return h.hub.count("SELECT COALESCE(arrival_gap_ms, -1) FROM check_ins WHERE uuid = '" + c.uuid + "'");
    };
    CHECK(gap(fresh) == -1);  // NULL: arrived within 2 minutes of its device time
    CHECK(gap(earlier) >= 40 * 60'000);
    CHECK(gap(earlier) < 45 * 60'000);
    CHECK(h.hub.count("SELECT COUNT(*) FROM check_ins WHERE uuid = '" + earlier.uuid + "' AND clock_skew_ms IS NULL") == 1);
}
