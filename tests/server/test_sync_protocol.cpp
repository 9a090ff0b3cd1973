// The protocol both sides share: request signatures and the JSON messages.
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"

#include "muster/model/field_limits.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::sync;

TEST_CASE("A request signature covers method, target, time, nonce and body", "[sync][signing]") {
    auto secret = generate_secret();
    const std::string body = R"({"device_time_ms":1})";
    auto sig = sign_request(secret, "POST", "/v1/upload", 1000, "nonce-0123456789ab", body);
    CHECK(sig.size() == 64);
    CHECK(signature_matches(secret, "POST", "/v1/upload", 1000, "nonce-0123456789ab", body, sig));
    CHECK_FALSE(signature_matches(secret, "GET", "/v1/upload", 1000, "nonce-0123456789ab", body, sig));
    CHECK_FALSE(signature_matches(secret, "POST", "/v1/changes", 1000, "nonce-0123456789ab", body, sig));
    CHECK_FALSE(signature_matches(secret, "POST", "/v1/upload", 1001, "nonce-0123456789ab", body, sig));
    CHECK_FALSE(signature_matches(secret, "POST", "/v1/upload", 1000, "nonce-0123456789ac", body, sig));
    CHECK_FALSE(signature_matches(secret, "POST", "/v1/upload", 1000, "nonce-0123456789ab", body + " ", sig));
    CHECK_FALSE(signature_matches(generate_secret(), "POST", "/v1/upload", 1000, "nonce-0123456789ab", body, sig));
    CHECK_FALSE(signature_matches(secret, "POST", "/v1/upload", 1000, "nonce-0123456789ab", body, sig.substr(2)));
    CHECK_FALSE(signature_matches(secret, "POST", "/v1/upload", 1000, "nonce-0123456789ab", body, std::string(64, 'z')));
}

TEST_CASE("Device secrets round-trip as 64 hex digits and junk is refused", "[sync][signing]") {
    auto s = generate_secret();
    CHECK(secret_from_hex(secret_to_hex(s)) == s);
    CHECK_FALSE(secret_from_hex("abc"));
    CHECK_FALSE(secret_from_hex(std::string(64, 'g')));
    CHECK(is_valid_nonce(random_nonce()));
    CHECK_FALSE(is_valid_nonce("short"));
    CHECK_FALSE(is_valid_nonce("has space in it 1234567890"));
}

TEST_CASE("An upload batch survives JSON both ways, optional fields included", "[sync][json]") {
    UploadBatch b;
    b.device_time_ms = 1795000000000;
    CheckIn c;
    c.uuid = "0190f5c2-0000-7000-8000-000000000001";
    c.device_id = "entrance-1";
    c.device_seq = 7;
    c.event_id = 1;
    c.direction = Direction::exit;
    c.method = Method::manual;
    c.outcome = Outcome::not_expected;
    c.reason = "Forgot badge \"blue\" lanyard";
    c.staff = "Siân";
    c.device_ms = 1795000000000;
    c.device_offset_min = 60;
    b.check_ins.push_back(c);
    Correction v;
    v.uuid = "0190f5c2-0000-7000-8000-000000000002";
    v.kind = CorrectionKind::void_scan;
    v.target_uuid = c.uuid;
    v.event_id = 1;
    v.reason = "scanned the wrong badge";
    v.author = "staff";
    v.created_ms = 5;
    b.corrections.push_back(v);
    auto back = parse_upload_batch(to_json(b));
    REQUIRE(back.check_ins.size() == 1);
    CHECK(back.device_time_ms == b.device_time_ms);
    CHECK(back.check_ins[0].uuid == c.uuid);
    CHECK_FALSE(back.check_ins[0].participant_id);
    CHECK(back.check_ins[0].direction == Direction::exit);
    CHECK(back.check_ins[0].outcome == Outcome::not_expected);
    CHECK(back.check_ins[0].reason == c.reason);
    CHECK(back.check_ins[0].staff == c.staff);
    CHECK(back.check_ins[0].device_offset_min == 60);
    REQUIRE(back.corrections.size() == 1);
    CHECK(back.corrections[0].kind == CorrectionKind::void_scan);
    CHECK(back.corrections[0].target_uuid == c.uuid);
}

TEST_CASE("Malformed sync messages are refused naming the field", "[sync][json]") {
    auto error_of = [](const std::string& json) {
        try {
            parse_upload_batch(json);
        } catch (const ProtocolError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK_THAT(error_of("{not json"), Catch::Contains("not valid JSON"));
    CHECK_THAT(error_of("[]"), Catch::Contains("expected an object"));
    CHECK_THAT(error_of("{}"), Catch::Contains("device_time_ms"));
    CHECK_THAT(error_of(R"({"device_time_ms":"soon"})"), Catch::Contains("device_time_ms: expected an integer"));
    CHECK_THAT(error_of(R"({"device_time_ms":1,"check_ins":{}})"), Catch::Contains("check_ins: expected an array"));
    CHECK_THAT(error_of(R"({"device_time_ms":1,"check_ins":[{"uuid":"a"}]})"), Catch::Contains("check_ins[0].device_id"));
    CHECK_THAT(error_of(R"({"device_time_ms":1,"check_ins":[{"uuid":"a","device_id":"d","device_seq":1.5}]})"),
               Catch::Contains("check_ins[0].device_seq: expected an integer"));
    CHECK_THAT(error_of(R"({"device_time_ms":1,"check_ins":[{"uuid":"a","device_id":"d","device_seq":1,"event_id":1,)"
                        R"("direction":"sideways"}]})"),
               Catch::Contains("check_ins[0].direction: unknown value"));
    CHECK_THAT(error_of(std::string(100, '[') + std::string(100, ']')), Catch::Contains("not valid JSON"));
    std::string many = R"({"device_time_ms":1,"check_ins":[)";
    for (int i = 0; i < 501; ++i)
        many += std::string(i ? "," : "") + R"({"uuid":"u)" + std::to_string(i) +
                R"(","device_id":"d","device_seq":1,"event_id":1,"direction":"entry","method":"qr","outcome":"checked_in",)"
                R"("device_ms":1,"device_offset_min":0})";
    many += "]}";
    CHECK_THAT(error_of(many), Catch::Contains("more than 500"));
}

TEST_CASE("Control characters pass the parser: each record is judged by its receiver", "[sync][json][limits]") {
    // The hub refuses such a record on its own (bad_field, test_upload_authz.cpp) and stores
    // the rest of the batch; a kiosk must not be stuck on a changes page from an older hub.
    auto batch = parse_upload_batch(R"({"device_time_ms":1,"check_ins":[{"uuid":"u1","device_id":"d","device_seq":1,)"
                                    R"("event_id":1,"direction":"entry","method":"manual","outcome":"checked_in",)"
                                    R"("reason":"a\u0000b","device_ms":1,"device_offset_min":0}]})");
    REQUIRE(batch.check_ins.size() == 1);
    CHECK(batch.check_ins[0].reason == std::string("a\0b", 3));
    CHECK(limits::problem_in(batch.check_ins[0]));  // what the hub's rules then refuse
    Changes c;
    Participant p;
    p.id = 1;
    p.first_name = "Ann";
    p.last_name = "Lee";
    p.school_name = "Line\nbreak Academy";  // imported before the roster's limits
    c.participants.push_back(p);
    CHECK(parse_changes(to_json(c)).participants.at(0).school_name == "Line\nbreak Academy");
    CHECK_THROWS_AS(parse_upload_batch("{\"device_time_ms\":1,\"check_ins\":[{\"reason\":\"raw\ttab\"}]}"), ProtocolError);
}

TEST_CASE("A changes reply carries no email and round-trips", "[sync][json]") {
    Changes c;
    c.server_time_ms = 9;
    c.cursor = 42;
    Participant p;
    p.id = 3;
    p.first_name = "Zoë";
    p.last_name = "Ó Súilleabháin";
    p.email = "zoe@oak.sch.uk";
    p.trn = "2345678";
    c.participants.push_back(p);
    c.badges.push_back(BadgeRow{3, 2, 100, 200, std::string("lost"), std::string(64, 'a')});
    auto json = to_json(c);
    CHECK(json.find("zoe@oak") == std::string::npos);
    auto back = parse_changes(json);
    CHECK(back.cursor == 42);
    REQUIRE(back.participants.size() == 1);
    CHECK(back.participants[0].last_name == p.last_name);
    CHECK_FALSE(back.participants[0].email);
    REQUIRE(back.badges.size() == 1);
    CHECK(back.badges[0].revoked_ms == 200);
    CHECK(back.badges[0].token_digest == std::string(64, 'a'));
}

TEST_CASE("Enrolment removals and whole facilitator lists round-trip, an emptied list included", "[sync][json]") {
    Changes c;
    c.cursor = 7;
    c.rooms.push_back(Room{4, 1, "Room 1"});
    c.rooms.push_back(Room{5, 1, "Room 2"});
    c.enrolment_removals.push_back(EnrolmentRemoval{1, 42});
    c.room_facilitators.push_back(RoomFacilitators{4, {FacilitatorRow{9, true}, FacilitatorRow{10, false}}});
    c.room_facilitators.push_back(RoomFacilitators{5, {}});  // everyone taken off Room 2
    auto json = to_json(c);
    CHECK(json.find(R"("enrolment_removals":[{"event_id":1,"participant_id":42}])") != std::string::npos);
    CHECK(json.find(R"({"room_id":5,"facilitators":[]})") != std::string::npos);
    auto back = parse_changes(json);
    REQUIRE(back.enrolment_removals.size() == 1);
    CHECK(back.enrolment_removals[0].event_id == 1);
    CHECK(back.enrolment_removals[0].participant_id == 42);
    REQUIRE(back.room_facilitators.size() == 2);
    CHECK(back.room_facilitators[0].room_id == 4);
    REQUIRE(back.room_facilitators[0].facilitators.size() == 2);
    CHECK(back.room_facilitators[0].facilitators[0].participant_id == 9);
    CHECK(back.room_facilitators[0].facilitators[0].lead);
    CHECK(back.room_facilitators[0].facilitators[1].participant_id == 10);
    CHECK_FALSE(back.room_facilitators[0].facilitators[1].lead);
    CHECK(back.room_facilitators[1].room_id == 5);
    CHECK(back.room_facilitators[1].facilitators.empty());
}

TEST_CASE("A changes reply from an older server lacks the new fields and one from a newer server has unknown ones", "[sync][json]") {
    // Before enrolment removals and facilitator lists: read as empty, the rest as before.
    auto old = parse_changes(R"({"server_time_ms":1,"cursor":3,"more":false,"rooms":[{"id":4,"event_id":1,"name":"Room 1"}],)"
                             R"("enrolments":[{"event_id":1,"participant_id":2,"room_id":4}]})");
    CHECK(old.cursor == 3);
    CHECK(old.rooms.size() == 1);
    CHECK(old.enrolments.size() == 1);
    CHECK(old.enrolment_removals.empty());
    CHECK(old.room_facilitators.empty());
    // What this build does not know is passed over, at the top and inside a record.
    auto newer = parse_changes(R"({"server_time_ms":1,"cursor":3,"more":false,"hub_motd":"hello",)"
                               R"("enrolment_removals":[{"event_id":1,"participant_id":2,"why":"withdrawn"}],)"
                               R"("room_facilitators":[{"room_id":4,"facilitators":[{"participant_id":9,"lead":true,"since":5}]}]})");
    REQUIRE(newer.enrolment_removals.size() == 1);
    CHECK(newer.enrolment_removals[0].participant_id == 2);
    REQUIRE(newer.room_facilitators.size() == 1);
    CHECK(newer.room_facilitators[0].facilitators.at(0).participant_id == 9);
    // The new fields are as strict as the old when present.
    auto error_of = [](const std::string& json) {
        try {
            parse_changes(json);
        } catch (const ProtocolError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(error_of(R"({"server_time_ms":1,"cursor":3,"more":false,"room_facilitators":[{"room_id":4,)"
                   R"("facilitators":[{"participant_id":9,"lead":"yes"}]}]})") ==
          "room_facilitators[0].facilitators[0].lead: expected true or false");
    CHECK(error_of(R"({"server_time_ms":1,"cursor":3,"more":false,"enrolment_removals":[{"event_id":1}]})") ==
          "enrolment_removals[0].participant_id: expected an integer");
}

TEST_CASE("A rejection carries its code, and a code this build does not know reads as unknown", "[sync][json]") {
    UploadReply r;
    r.rejected.push_back({"0190f5c2-0000-7000-8000-000000000001", "this uuid is already stored with other content",
                          RejectionCode::conflict});
    auto back = parse_upload_reply(to_json(r));
    REQUIRE(back.rejected.size() == 1);
    CHECK(back.rejected[0].code == RejectionCode::conflict);
    CHECK(back.rejected[0].reason == r.rejected[0].reason);
    CHECK(to_json(r).find(R"("code":"conflict")") != std::string::npos);
    for (auto code : {RejectionCode::not_this_device, RejectionCode::wrong_event, RejectionCode::unknown_session,
                      RejectionCode::wrong_room, RejectionCode::unknown_participant, RejectionCode::unknown_badge,
                      RejectionCode::not_allowed, RejectionCode::bad_field, RejectionCode::time_implausible,
                      RejectionCode::conflict, RejectionCode::sequence_taken})
        CHECK(rejection_code_from(to_string(code)) == code);
    const std::string head = R"({"server_time_ms":1,"acked":[],"clock_skew_ms":0,"clock_flagged":false,"rejected":[)";
    auto newer = parse_upload_reply(head + R"({"uuid":"u","reason":"r","code":"from_the_future"}]})");
    CHECK(newer.rejected.at(0).code == RejectionCode::unknown);
    auto older = parse_upload_reply(head + R"({"uuid":"u","reason":"r"}]})");  // a server before codes
    CHECK(older.rejected.at(0).code == RejectionCode::unknown);
    CHECK(older.rejected.at(0).reason == "r");
}
