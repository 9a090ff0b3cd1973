// The hub's rules for an uploaded record, as pure functions: each rule has a case that
// breaks it alone, beside the honest record that passes (so no refusal is vacuous).
#include "upload_rules.hpp"

#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace muster;
using namespace muster::server;
using sync::RejectionCode;

namespace {

// 2026-07-15 10:00 BST (09:00 UTC): summer, so the UK offset is 60.
const TimeMs summer_now = uk_time::from_local({2026, 7, 15, 10, 0, 0});

struct FakeFacts final : UploadFacts {
    std::set<ParticipantId> participants{1, 2, 3};
    std::set<std::pair<ParticipantId, std::int64_t>> badges{{1, 1}, {2, 1}, {2, 2}};
    std::set<ParticipantId> card_holders{3};
    std::map<std::string, CheckIn> stored;
    bool participant_exists(ParticipantId p) override { return participants.count(p) > 0; }
    bool badge_issued(ParticipantId p, std::int64_t s) override { return badges.count({p, s}) > 0; }
    bool held_nfc_card(ParticipantId p) override { return card_holders.count(p) > 0; }
    std::optional<CheckIn> stored_check_in(const std::string& uuid) override {
        auto it = stored.find(uuid);
        if (it == stored.end()) return std::nullopt;
        return it->second;
    }
};

struct Scene {
    DeviceRecord entrance{"entrance-1", 7, std::nullopt, std::nullopt, false};
    DeviceRecord room{"room-1", 7, 71, std::nullopt, false};
    EventScope event;
    UploadClock clock{summer_now, 0};
    FakeFacts facts;
    Scene() {
        Event e;
        e.id = 7;
        e.local_date = "2026-07-15";
        e.sessions = {Session{70, 7, "Morning", summer_now, summer_now + 3'600'000}, Session{72, 7, "Afternoon", 0, 1}};
        e.rooms = {Room{71, 7, "Room 1"}, Room{73, 7, "Room 2"}};
        event = scope_of(e);
    }
    CheckIn honest(std::int64_t seq = 1) const {
        CheckIn c;
        c.uuid = "0190f5c2-0000-7000-8000-00000000000" + std::to_string(seq % 10);
        c.device_id = "entrance-1";
        c.device_seq = seq;
        c.participant_id = 1;
        c.event_id = 7;
        c.session_id = 70;
        c.method = Method::qr;
        c.outcome = Outcome::checked_in;
        c.badge_serial = 1;
        c.device_ms = summer_now - 60'000;
        c.device_offset_min = 60;
        return c;
    }
    std::optional<RejectionCode> judge(const CheckIn& c, const DeviceRecord* sender = nullptr) {
        auto r = judge_check_in(c, sender ? *sender : entrance, event, clock, facts);
        if (!r) return std::nullopt;
        CHECK(r->uuid == c.uuid);
        CHECK_FALSE(r->reason.empty());
        return r->code;
    }
    Correction void_of(const CheckIn& target) const {
        Correction v;
        v.uuid = "0190f5c2-0000-7000-8000-0000000000a1";
        v.kind = CorrectionKind::void_scan;
        v.target_uuid = target.uuid;
        v.participant_id = target.participant_id;
        v.event_id = target.event_id;
        v.session_id = target.session_id;
        v.reason = "scanned the wrong badge";
        v.author = "Kwame";
        v.device_id = target.device_id;
        v.created_ms = summer_now - 30'000;
        return v;
    }
    std::optional<RejectionCode> judge(const Correction& c) {
        auto r = judge_correction(c, entrance, event, clock, facts);
        if (!r) return std::nullopt;
        return r->code;
    }
};

}  // namespace

TEST_CASE("Upload rules: an honest kiosk's records pass", "[sync][rules]") {
    Scene s;
    CHECK_FALSE(s.judge(s.honest()));
    auto in_room = s.honest();
    in_room.device_id = "room-1";
    in_room.room_id = 71;
    CHECK_FALSE(s.judge(in_room, &s.room));
    auto torn = s.honest();  // a torn or foreign code names nobody
    torn.participant_id.reset();
    torn.badge_serial.reset();
    torn.outcome = Outcome::invalid_badge;
    CHECK_FALSE(s.judge(torn));
    auto stray_card = torn;  // an NFC card nobody owns
    stray_card.method = Method::nfc;
    stray_card.outcome = Outcome::unknown_badge;
    CHECK_FALSE(s.judge(stray_card));
    auto card = s.honest();  // a card known by its UID: no serial
    card.method = Method::nfc;
    card.participant_id = 3;
    card.badge_serial.reset();
    CHECK_FALSE(s.judge(card));
    auto manual = s.honest();
    manual.method = Method::manual;
    manual.badge_serial.reset();
    manual.staff = "Grace";
    manual.reason = "forgot badge";
    CHECK_FALSE(s.judge(manual));
    auto revoked = s.honest();  // a revoked serial is still one the hub issued
    revoked.participant_id = 2;
    revoked.outcome = Outcome::revoked_badge;
    CHECK_FALSE(s.judge(revoked));
    auto no_session = s.honest();
    no_session.session_id.reset();
    CHECK_FALSE(s.judge(no_session));
}

TEST_CASE("Upload rules: a check-in must be the sender's, at its event, session and room", "[sync][rules]") {
    Scene s;
    auto c = s.honest();
    c.device_id = "room-1";
    CHECK(s.judge(c) == RejectionCode::not_this_device);
    c = s.honest();
    c.event_id = 8;
    CHECK(s.judge(c) == RejectionCode::wrong_event);
    c = s.honest();
    c.session_id = 99;  // another event's session
    CHECK(s.judge(c) == RejectionCode::unknown_session);
    c = s.honest();
    c.room_id = 999;  // an entrance device has no room
    CHECK(s.judge(c) == RejectionCode::wrong_room);
    c.device_id = "room-1";
    c.room_id = 73;  // a room of the event, but not this device's
    CHECK(s.judge(c, &s.room) == RejectionCode::wrong_room);
    c.room_id.reset();
    CHECK(s.judge(c, &s.room) == RejectionCode::wrong_room);
    DeviceRecord lost_room = s.room;  // the hub's own record names a room not at the event
    lost_room.room_id = 555;
    c.room_id = 555;
    CHECK(s.judge(c, &lost_room) == RejectionCode::wrong_room);
    EventScope gone;  // the device's event was deleted at the hub
    CHECK(judge_check_in(s.honest(), s.entrance, gone, s.clock, s.facts)->code == RejectionCode::wrong_event);
}

TEST_CASE("Upload rules: participants and badges are the hub's", "[sync][rules]") {
    Scene s;
    auto c = s.honest();
    c.participant_id = 42;
    CHECK(s.judge(c) == RejectionCode::unknown_participant);
    c.participant_id = -1;
    s.facts.participants.insert(-1);  // never even asked: an id is positive
    CHECK(s.judge(c) == RejectionCode::unknown_participant);
    c = s.honest();
    c.badge_serial = 7;
    CHECK(s.judge(c) == RejectionCode::unknown_badge);
    c.participant_id = 3;  // serial 1 is participant 1's, not 3's
    c.badge_serial = 1;
    CHECK(s.judge(c) == RejectionCode::unknown_badge);
    c = s.honest();
    c.badge_serial.reset();  // a QR check-in with no badge
    CHECK(s.judge(c) == RejectionCode::unknown_badge);
    c.method = Method::nfc;  // a card check-in for someone never given a card
    CHECK(s.judge(c) == RejectionCode::unknown_badge);
    c = s.honest();
    c.participant_id.reset();  // an attendance outcome naming nobody
    CHECK(s.judge(c) == RejectionCode::bad_field);
    c.outcome = Outcome::unknown_badge;  // by QR, unknown_badge always names the badge's holder
    CHECK(s.judge(c) == RejectionCode::bad_field);
    c.outcome = Outcome::invalid_badge;  // a serial without anyone
    CHECK(s.judge(c) == RejectionCode::bad_field);
    c = s.honest();
    c.outcome = Outcome::invalid_badge;  // an invalid badge names nobody
    CHECK(s.judge(c) == RejectionCode::bad_field);
}

TEST_CASE("Upload rules: fields no kiosk makes are bad_field", "[sync][rules]") {
    Scene s;
    auto c = s.honest();
    c.device_offset_min = 0;  // summer: the UK is at +60
    CHECK(s.judge(c) == RejectionCode::bad_field);
    c.device_offset_min = 37;
    CHECK(s.judge(c) == RejectionCode::bad_field);
    c = s.honest();
    c.method = Method::manual;
    c.badge_serial.reset();
    c.reason = "forgot badge";
    CHECK(s.judge(c) == RejectionCode::bad_field);  // no staff
    c.staff = "Grace";
    c.reason.clear();
    CHECK(s.judge(c) == RejectionCode::bad_field);  // no reason
    c = s.honest();
    c.reason = std::string(501, 'x');
    auto r = judge_check_in(c, s.entrance, s.event, s.clock, s.facts);
    REQUIRE(r);
    CHECK(r->code == RejectionCode::bad_field);
    CHECK_THAT(r->reason, Catch::Contains("reason: longer than 500"));
    c = s.honest();
    c.staff = std::string("Gr\0ace", 6);
    CHECK(s.judge(c) == RejectionCode::bad_field);
    c = s.honest();
    c.uuid = "not-a-uuid";
    CHECK(s.judge(c) == RejectionCode::bad_field);
    c = s.honest();
    c.device_seq = 0;
    CHECK(s.judge(c) == RejectionCode::bad_field);
}

TEST_CASE("Upload rules: each record's time is judged on its own, in hub time", "[sync][rules]") {
    Scene s;
    auto c = s.honest();
    c.device_ms = summer_now + 61'000;  // made after the batch was sent
    CHECK(s.judge(c) == RejectionCode::time_implausible);
    c.device_ms = summer_now + 59'000;
    CHECK_FALSE(s.judge(c));
    c.device_ms = summer_now - 3 * 86'400'000LL;  // backdated three days
    c.device_offset_min = uk_time::offset_minutes(c.device_ms);
    CHECK(s.judge(c) == RejectionCode::time_implausible);
    // The day before and the day after are the event's too (set-up, late uploads)...
    s.clock = UploadClock{uk_time::from_local({2026, 7, 20, 12, 0, 0}), 0};  // uploaded days later
    c.device_ms = uk_time::from_local({2026, 7, 14, 0, 0, 0});
    CHECK_FALSE(s.judge(c));
    c.device_ms = uk_time::from_local({2026, 7, 16, 23, 59, 0});
    CHECK_FALSE(s.judge(c));
    // ...and not a minute more.
    c.device_ms = uk_time::from_local({2026, 7, 13, 23, 59, 0});
    CHECK(s.judge(c) == RejectionCode::time_implausible);
    c.device_ms = uk_time::from_local({2026, 7, 17, 0, 0, 0});
    CHECK(s.judge(c) == RejectionCode::time_implausible);

    // A device whose clock is a year slow: its skew is measured at upload, so its records
    // land on the right day in hub time and pass (the store flags them with the skew).
    const TimeMs year = 365 * 86'400'000LL;
    s.clock = UploadClock{summer_now - year, -year};
    c = s.honest();
    c.device_ms = summer_now - year - 60'000;
    c.device_offset_min = uk_time::offset_minutes(c.device_ms);
    CHECK_FALSE(s.judge(c));
    c.device_ms = summer_now - 60'000;  // the right time by the hub, but a year ahead of its own clock
    c.device_offset_min = uk_time::offset_minutes(c.device_ms);
    CHECK(s.judge(c) == RejectionCode::time_implausible);
}

TEST_CASE("Upload rules: event days run from midnight the day before to midnight after the day after, UK time", "[sync][rules]") {
    auto summer = event_days("2026-07-15");
    REQUIRE(summer);
    CHECK(uk_time::format_local(summer->first) == "2026-07-14 00:00");
    CHECK(uk_time::format_local(summer->second) == "2026-07-17 00:00");
    CHECK(summer->second - summer->first == 3 * 86'400'000LL);
    auto clocks_change = event_days("2026-10-25");  // BST ends on the day: 73 hours
    REQUIRE(clocks_change);
    CHECK(clocks_change->second - clocks_change->first == 73 * 3'600'000LL);
    CHECK_FALSE(event_days("2026-02-30"));
    CHECK_FALSE(scope_of(Event{}).exists);
}

TEST_CASE("Upload rules: a device may void only its own stored check-ins, and never mark", "[sync][rules]") {
    Scene s;
    auto own = s.honest();
    s.facts.stored[own.uuid] = own;
    CHECK_FALSE(s.judge(s.void_of(own)));

    auto others = s.honest(2);
    others.device_id = "room-1";
    s.facts.stored[others.uuid] = others;
    auto v = s.void_of(others);
    v.device_id = "entrance-1";
    CHECK(s.judge(v) == RejectionCode::not_allowed);
    auto unknown = s.honest(3);  // never stored
    CHECK(s.judge(s.void_of(unknown)) == RejectionCode::not_allowed);

    Correction mark;
    mark.uuid = "0190f5c2-0000-7000-8000-0000000000b1";
    mark.kind = CorrectionKind::mark;
    mark.participant_id = 1;
    mark.event_id = 7;
    mark.status = AttendanceStatus::present;
    mark.reason = "was there";
    mark.author = "Hub Director (not really)";
    mark.device_id = "entrance-1";
    mark.created_ms = summer_now;
    CHECK(s.judge(mark) == RejectionCode::not_allowed);

    v = s.void_of(own);
    v.participant_id = 2;  // a void that does not match what it cancels
    CHECK(s.judge(v) == RejectionCode::bad_field);
    v = s.void_of(own);
    v.session_id = 72;
    CHECK(s.judge(v) == RejectionCode::bad_field);
    v = s.void_of(own);
    v.author.clear();
    CHECK(s.judge(v) == RejectionCode::bad_field);
    v = s.void_of(own);
    v.status = AttendanceStatus::absent;
    CHECK(s.judge(v) == RejectionCode::bad_field);
    v = s.void_of(own);
    v.target_uuid.reset();
    CHECK(s.judge(v) == RejectionCode::bad_field);
    v = s.void_of(own);
    v.device_id = "room-1";
    CHECK(s.judge(v) == RejectionCode::not_this_device);
    v = s.void_of(own);
    v.created_ms = summer_now + 10 * 60'000;
    CHECK(s.judge(v) == RejectionCode::time_implausible);
}

TEST_CASE("Upload rules: a resent uuid is acked only when identical and the sender's", "[sync][rules]") {
    Scene s;
    auto stored = s.honest();
    CHECK_FALSE(judge_resent(stored, stored, s.entrance));
    auto changed = stored;
    changed.participant_id = 2;
    CHECK(judge_resent(changed, stored, s.entrance)->code == RejectionCode::conflict);
    changed = stored;
    changed.device_ms += 1;
    CHECK(judge_resent(changed, stored, s.entrance)->code == RejectionCode::conflict);
    changed = stored;
    changed.staff = "someone";
    CHECK(judge_resent(changed, stored, s.entrance)->code == RejectionCode::conflict);
    auto theirs = stored;  // stored for room-1; entrance-1 sends the same uuid as its own
    theirs.device_id = "room-1";
    auto mine = stored;
    CHECK(judge_resent(mine, theirs, s.entrance)->code == RejectionCode::conflict);

    auto v = s.void_of(stored);
    CHECK_FALSE(judge_resent(v, v, s.entrance));
    auto v2 = v;
    v2.reason = "another reason";
    CHECK(judge_resent(v2, v, s.entrance)->code == RejectionCode::conflict);
    auto hubs = v;  // a correction the hub made itself names no device
    hubs.device_id.reset();
    CHECK(judge_resent(v, hubs, s.entrance)->code == RejectionCode::conflict);
}
