#include "test_hub.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/outbox_store.hpp"
#include "muster/store/replica_store.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::checkin;

namespace {

DeviceSetup entrance(const test::TestHub& hub) {
    return {"kiosk-a", DeviceMode::entrance, hub.event, hub.loaded.sessions.at(0).id, std::nullopt, Direction::entry};
}

std::size_t rows(db::Database& db, const char* table) {
    auto s = db.prepare(std::string("SELECT count(*) FROM ") + table);  // table names are literals here
    s.step();
    return static_cast<std::size_t>(s.int64(0));
}

}  // namespace

TEST_CASE("a scan is decided and committed with an outbox row before the result is returned", "[desk]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto sian = hub.id_of_trn("1234567");
    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    auto r = desk.scan({Method::qr, hub.token_for(sian), ""}, now);
    CHECK(r.decision.outcome == Outcome::checked_in);
    REQUIRE(r.participant);
    CHECK(r.participant->public_name() == "Siân O.");
    CHECK(r.room_name.has_value());
    CHECK(r.record.device_seq == 1);
    CHECK(is_uuid(r.record.uuid));

    // Durable: another connection (as after a restart) sees the record and its outbox row.
    auto other = store::open_database(hub.dir.file("hub.db"));
    auto stored = store::find_check_in(*other, r.record.uuid);
    REQUIRE(stored);
    CHECK(stored->outcome == Outcome::checked_in);
    CHECK(stored->participant_id == sian);
    CHECK(stored->device_offset_min == uk_time::offset_minutes(now));
    CHECK(store::outbox_counts(*other).pending == 1);

    auto again = desk.scan({Method::qr, hub.token_for(sian), ""}, now + 60'000);
    CHECK(again.decision.outcome == Outcome::already_checked_in);
    CHECK(again.decision.first_seen_ms == now);
    CHECK(again.record.device_seq == 2);
}

TEST_CASE("every refusal is recorded too, without inventing a participant", "[desk]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    auto r = desk.scan({Method::qr, "HELLO", ""}, now);
    CHECK(r.decision.outcome == Outcome::invalid_badge);
    CHECK(r.decision.reason == "This is not a Muster badge");
    CHECK_FALSE(r.record.participant_id);
    CHECK(store::find_check_in(*hub.db, r.record.uuid));

    // A genuine badge of someone the device does not hold (it holds only its event's people):
    // the hub's signature says who it is, so it is recorded as not expected, counted and
    // flagged, with the person's id and no name (DOMAIN.md: never just refused).
    auto unknown = desk.scan({Method::qr, hub.token_for(99999), ""}, now);
    CHECK(unknown.decision.outcome == Outcome::not_expected);
    CHECK(unknown.record.participant_id == 99999);
    CHECK(unknown.record.badge_serial);
    CHECK_FALSE(unknown.participant);

    auto mentor = hub.id_of_trn("4567890");  // a mentor at an ECT conference
    auto alt = desk.scan({Method::qr, hub.token_for(mentor), ""}, now);
    CHECK(alt.decision.outcome == Outcome::not_expected);
    CHECK(rows(*hub.db, "check_ins") == 3);
}

TEST_CASE("a revoked badge is refused, its replacement accepted", "[desk]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto zoe = hub.id_of_trn("2345678");
    store::issue_badge(*hub.db, zoe, now, 1);
    store::revoke_badge(*hub.db, zoe, 1, "lost", now, 2);
    store::issue_badge(*hub.db, zoe, now, 3);
    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    CHECK(desk.scan({Method::qr, hub.token_for(zoe, 1), ""}, now).decision.outcome == Outcome::revoked_badge);
    CHECK(desk.scan({Method::qr, hub.token_for(zoe, 2), ""}, now).decision.outcome == Outcome::checked_in);
}

TEST_CASE("the desk trusts the hub's issued badges and stops trusting revoked ones", "[desk]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto rhys = hub.id_of_trn("3456789");
    auto token = store::issue_signed_badge(*hub.db, hub.keys, rhys, now, 1);
    CHECK(store::issued_token_digests(*hub.db).count(badge::token_digest(token)) == 1);
    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    CHECK(desk.scan({Method::qr, token, ""}, now).decision.outcome == Outcome::checked_in);
    store::revoke_badge(*hub.db, rhys, 1, "lost", now, 2);
    CHECK(store::issued_token_digests(*hub.db).empty());
    desk.reload_issued_badges();
    CHECK(desk.scan({Method::qr, token, ""}, now).decision.outcome == Outcome::revoked_badge);
}

TEST_CASE("NFC: a card's token wins over its UID, a UID-only card is looked up", "[desk][nfc]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto sian = hub.id_of_trn("1234567");
    auto rhys = hub.id_of_trn("3456789");
    store::attach_card(*hub.db, "04:a1:b2:c3:d4:e5:f6", sian, now, 1);
    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    auto by_uid = desk.scan({Method::nfc, "", "04A1B2C3D4E5F6"}, now);
    CHECK(by_uid.decision.outcome == Outcome::checked_in);
    CHECK(by_uid.record.participant_id == sian);
    auto by_token = desk.scan({Method::nfc, hub.token_for(rhys), "04A1B2C3D4E5F6"}, now);
    CHECK(by_token.record.participant_id == rhys);
    auto forged = desk.scan({Method::nfc, hub.token_for(rhys).substr(0, 100) + std::string(23, 'A'), "04A1B2C3D4E5F6"}, now);
    CHECK(forged.decision.outcome == Outcome::invalid_badge);  // a bad token never falls back to the UID
    CHECK(desk.scan({Method::nfc, "", "DEADBEEF"}, now).decision.outcome == Outcome::unknown_badge);
    store::detach_card(*hub.db, "04A1B2C3D4E5F6", now, 2);
    CHECK(desk.scan({Method::nfc, "", "04A1B2C3D4E5F6"}, now).decision.outcome == Outcome::unknown_badge);
}

TEST_CASE("staff: manual check-in with a reason, and voiding the last scan", "[desk]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto sian = hub.id_of_trn("1234567");
    auto rhys = hub.id_of_trn("3456789");
    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    CHECK_THROWS(desk.manual_check_in(sian, "", "Pat", now));
    auto m = desk.manual_check_in(sian, "forgot badge", "Pat", now);
    CHECK(m.decision.outcome == Outcome::checked_in);
    CHECK(m.record.method == Method::manual);
    CHECK(m.record.staff == "Pat");
    CHECK(m.record.reason == "forgot badge");

    desk.scan({Method::qr, hub.token_for(rhys), ""}, now);
    auto v = desk.void_last_scan("scanned the wrong badge", "Pat", now);
    REQUIRE(v);
    CHECK(store::is_voided(*hub.db, *v->target_uuid));
    CHECK(store::find_check_in(*hub.db, *v->target_uuid)->participant_id == rhys);  // the fact is kept
    // Voided, so Rhys's next scan is a fresh check-in, not "already".
    CHECK(desk.scan({Method::qr, hub.token_for(rhys), ""}, now).decision.outcome == Outcome::checked_in);
    CHECK(store::outbox_counts(*hub.db).pending == 4);  // 3 scans + 1 void
}

TEST_CASE("switching session and direction", "[desk]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto sian = hub.id_of_trn("1234567");
    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    desk.scan({Method::qr, hub.token_for(sian), ""}, now);
    desk.set_direction(Direction::exit);
    CHECK(desk.scan({Method::qr, hub.token_for(sian), ""}, now + 1000).decision.outcome == Outcome::checked_out);
    desk.set_direction(Direction::entry);
    auto afternoon = hub.loaded.sessions.at(1);
    desk.set_session(afternoon.id);
    auto r = desk.scan({Method::qr, hub.token_for(sian), ""}, afternoon.starts_ms - 60'000);
    CHECK(r.decision.outcome == Outcome::checked_in);
    CHECK(r.record.session_id == afternoon.id);
    CHECK_THROWS(desk.set_session(987654));
}

TEST_CASE("staff text over the field limits is refused by name before anything is written", "[desk][limits]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto sian = hub.id_of_trn("1234567");
    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    auto before = rows(*hub.db, "check_ins");

    CHECK_THROWS_WITH(desk.manual_check_in(sian, std::string(501, 'x'), "Pat", now),
                      "reason: longer than 500 characters");
    CHECK_THROWS_WITH(desk.manual_check_in(sian, "forgot badge", std::string("Pat\0", 4), now),
                      "staff: holds a control character");
    CHECK_THROWS_WITH(desk.manual_check_in(sian, "forgot\nbadge", "Pat", now), "reason: holds a control character");
    CHECK_THROWS_WITH(desk.manual_check_in(sian, "forgot badge", std::string(101, 'P'), now),
                      "staff: longer than 100 characters");
    CHECK_THROWS_AS(desk.manual_check_in(sian, "forgot badge", "\xff", now), std::invalid_argument);
    CHECK(rows(*hub.db, "check_ins") == before);
    CHECK(store::outbox_counts(*hub.db).pending == 0);

    // 500 characters of two bytes each is within the limit: characters are counted, not bytes.
    std::string long_welsh;
    for (int i = 0; i < 500; ++i) long_welsh += "\xc3\xa2";  // â
    CHECK(desk.manual_check_in(sian, long_welsh, "Siân", now).record.reason == long_welsh);

    CHECK_THROWS_WITH(desk.void_last_scan("tab\there", "Pat", now), "reason: holds a control character");
    CHECK_THROWS_WITH(desk.void_last_scan("wrong person", std::string(101, 'P'), now), "staff: longer than 100 characters");
    CHECK(rows(*hub.db, "corrections") == 0);
    CHECK(desk.void_last_scan("wrong person", "Pat", now));
}

TEST_CASE("a facilitator is expected in every room they run, enrolled there or not", "[desk]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    const Room room_1 = hub.loaded.rooms.at(0), room_2 = hub.loaded.rooms.at(1);
    auto kwame = hub.id_of_trn("5678901"), grace = hub.id_of_trn("6789012");
    REQUIRE(store::find_enrolment(*hub.db, hub.event, kwame)->room_id == room_1.id);
    DeviceSetup at_room_2{"kiosk-r2", DeviceMode::room, hub.event, hub.loaded.sessions.at(0).id, room_2.id, Direction::entry};
    CheckInDesk room_2_desk(*hub.db, hub.keys.public_key(), at_room_2);
    auto before = room_2_desk.scan({Method::qr, hub.token_for(kwame), ""}, now);
    CHECK(before.decision.outcome == Outcome::wrong_room);
    CHECK(before.decision.reason == "Your room is " + room_1.name);

    // Kwame now runs Room 2 as well (still enrolled in Room 1); Grace runs only Room 2 and is
    // no longer enrolled at all: both are expected there, and Grace at the entrance too.
    auto change = store::next_change(*hub.db);
    store::set_room_facilitators(*hub.db, room_2.id, {{kwame, true}, {grace, false}}, change);
    store::set_room_facilitators(*hub.db, room_1.id, {{kwame, true}}, change);
    REQUIRE(store::unenrol(*hub.db, hub.event, grace, change));
    CHECK(room_2_desk.scan({Method::qr, hub.token_for(kwame), ""}, now + 1000).decision.outcome == Outcome::checked_in);
    auto g = room_2_desk.scan({Method::qr, hub.token_for(grace), ""}, now + 2000);
    CHECK(g.decision.outcome == Outcome::checked_in);
    CHECK(g.room_name == room_2.name);
    CheckInDesk entrance_desk(*hub.db, hub.keys.public_key(), entrance(hub));
    CHECK(entrance_desk.scan({Method::qr, hub.token_for(grace), ""}, now + 3000).decision.outcome == Outcome::checked_in);
    // Taken off every room and not enrolled: not expected any more (in a room with no scan of hers yet).
    store::set_room_facilitators(*hub.db, room_2.id, {{kwame, true}}, store::next_change(*hub.db));
    CheckInDesk room_1_desk(*hub.db, hub.keys.public_key(),
                            {"kiosk-r1", DeviceMode::room, hub.event, hub.loaded.sessions.at(0).id, room_1.id, Direction::entry});
    CHECK(room_1_desk.scan({Method::qr, hub.token_for(grace), ""}, now + 4000).decision.outcome == Outcome::not_expected);
}

TEST_CASE("a facilitator's mark downloaded from the hub makes the kiosk say already checked in, until it is undone",
          "[desk][marks]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto sian = hub.id_of_trn("1234567");
    SessionId session = hub.loaded.sessions.at(0).id;
    // The correction as GET /v1/changes delivers it: a mark made on the register (no device).
    Correction mark;
    mark.uuid = "0b6c2f1e-8a4d-4c3b-9f7e-1d2a3b4c5d6e";
    mark.kind = CorrectionKind::mark;
    mark.participant_id = sian;
    mark.event_id = hub.event;
    mark.session_id = session;
    mark.status = AttendanceStatus::present;
    mark.reason = "forgot_badge";
    mark.author = "Ms Jones";
    mark.created_ms = now - 60'000;
    sync::Changes download;
    download.corrections.push_back(mark);
    store::apply_changes(*hub.db, download);

    CheckInDesk desk(*hub.db, hub.keys.public_key(), entrance(hub));
    auto r = desk.scan({Method::qr, hub.token_for(sian), ""}, now);
    CHECK(r.decision.outcome == Outcome::already_checked_in);
    CHECK(r.decision.first_seen_ms == now - 60'000);

    // Undone on the tablet: the void arrives with the next download and the mark counts for nothing.
    Correction undo;
    undo.uuid = "1c7d3a2f-9b5e-4d4c-8a8f-2e3b4c5d6e7f";
    undo.kind = CorrectionKind::void_scan;
    undo.target_uuid = mark.uuid;
    undo.participant_id = sian;
    undo.event_id = hub.event;
    undo.session_id = session;
    undo.reason = "undone on the register";
    undo.author = "Ms Jones";
    undo.created_ms = now;
    // The scan just made was "already checked in" (not counted): a fresh device database
    // would say checked in. Here the same desk, after the void, must check her in.
    sync::Changes second;
    second.corrections.push_back(undo);
    store::apply_changes(*hub.db, second);
    auto after = desk.scan({Method::qr, hub.token_for(sian), ""}, now + 1000);
    CHECK(after.decision.outcome == Outcome::checked_in);

    // A left-early mark reads as her exit: the next entry is "back in after leaving".
    Correction left = mark;
    left.uuid = "2d8e4b3a-ac6f-4e5d-9b9a-3f4c5d6e7f80";
    left.status = AttendanceStatus::left_early;
    left.reason = "left_early";
    left.created_ms = now + 2000;
    sync::Changes third;
    third.corrections.push_back(left);
    store::apply_changes(*hub.db, third);
    auto back = desk.scan({Method::qr, hub.token_for(sian), ""}, now + 3000);
    CHECK(back.decision.outcome == Outcome::checked_in);
    CHECK(back.decision.reason == "Back in after leaving");
}
