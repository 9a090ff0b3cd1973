// The central record's JSON (central_record.hpp): what the outbox stores and every target is
// sent reads back whole, a damaged one is refused naming the field, and two versions compare
// by what they state.
#include "muster/central/central_record.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace muster;
using central::CentralRecord;
using central::EvidenceHeld;

namespace {

CentralRecord full_record() {
    CentralRecord r;
    r.record_id = "7d444840-9dc0-41a2-9b1e-3c1a2f6e0b11";
    r.version = 3;
    r.created_ms = 1'759'400'000'000;
    r.cause = "scan found on the door tablet";
    r.event_id = 12;
    r.event_title = "ECT Year 1 Conference 1";
    r.event_date = "2025-10-01";
    r.venue = "Castleview \"Hall\"";
    r.programme = "ect-y1";
    r.course = "conference-1";
    r.cohort = 2025;
    r.event_kind = EventKind::mentor_conference;
    r.signed_off_ms = 1'759'399'000'000;
    r.participant_id = 44;
    r.first_name = "Siân";
    r.last_name = "O'Brien";
    r.trn = "0123456";  // a leading zero stays: TRNs are text
    r.email = std::nullopt;
    r.school_name = "Oakfield Junior School";
    r.school_urn = "012345";
    r.lead_provider = "Ambition";
    r.delivery_partner = std::nullopt;
    r.role = Role::induction_tutor;
    r.status = AttendanceStatus::caught_up;
    r.minutes_late = 12;
    r.left_early = true;
    r.checked_out_ms = 1'759'320'000'000;
    r.parts = {{1, "Morning", 100, 200, true, 150, 5}, {2, "Afternoon", 300, 400, false, std::nullopt, std::nullopt}};
    r.evidence = EvidenceHeld::caught_up;
    r.evidence_note = "recording watched, notes seen";
    r.caught_up_on = "2025-10-09";
    r.alternate_event_id = 99;
    r.alternate_event_date = "2025-10-08";
    r.check_in_uuids = {"00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"};
    r.reason = "illness";
    return r;
}

// `json` with the first occurrence of `from` replaced by `to`.
std::string replaced(std::string json, const std::string& from, const std::string& to) {
    auto at = json.find(from);
    REQUIRE(at != std::string::npos);
    return json.replace(at, from.size(), to);
}

std::string error_of(const std::string& json) {
    try {
        central::parse_central_record(json);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("A central record reads back whole from its JSON", "[central][record]") {
    const CentralRecord r = full_record();
    const std::string json = central::to_json(r);
    CHECK(json.find("\"trn\":\"0123456\"") != std::string::npos);
    CHECK(json.find("\"email\":null") != std::string::npos);  // every field written
    CHECK(json.find("\"evidence\":\"caught_up\"") != std::string::npos);

    const CentralRecord back = central::parse_central_record(json);
    CHECK(back.record_id == r.record_id);
    CHECK(back.version == 3);
    CHECK(back.created_ms == r.created_ms);
    CHECK(back.cause == r.cause);
    CHECK(central::same_content(back, r));
    CHECK(back.venue == "Castleview \"Hall\"");
    CHECK(back.first_name == "Siân");
    CHECK(back.event_kind == EventKind::mentor_conference);
    CHECK(back.role == Role::induction_tutor);
    CHECK_FALSE(back.email);
    REQUIRE(back.parts.size() == 2);
    CHECK(back.parts[0].in_ms == 150);
    CHECK(back.parts[0].minutes_late == 5);
    CHECK_FALSE(back.parts[1].in_ms);
    CHECK(back.check_in_uuids == r.check_in_uuids);
    CHECK(central::to_json(back) == json);

    // The smallest record (no optional field set) too.
    CentralRecord bare;
    bare.record_id = "x";
    auto bare_back = central::parse_central_record(central::to_json(bare));
    CHECK(central::same_content(bare_back, bare));
    CHECK(bare_back.parts.empty());
}

TEST_CASE("A damaged central record is refused naming the field", "[central][record]") {
    const std::string json = central::to_json(full_record());
    CHECK(error_of("{not json") .find("not valid JSON") != std::string::npos);
    CHECK(error_of("[]") == "central record: record: expected an object");
    CHECK(error_of(replaced(json, "\"status\":\"caught_up\"", "\"status\":\"gone\"")) ==
          "central record: status: unknown value");
    CHECK(error_of(replaced(json, "\"version\":3", "\"version\":\"3\"")) == "central record: version: expected an integer");
    CHECK(error_of(replaced(json, "\"version\":3", "\"version\":0")) == "central record: version: expected 1 or more");
    CHECK(error_of(replaced(json, "\"trn\":\"0123456\",", "")) == "central record: trn: missing");
    CHECK(error_of(replaced(json, "\"left_early\":true", "\"left_early\":1")) ==
          "central record: left_early: expected true or false");
    CHECK(error_of(replaced(json, "\"in_ms\":null", "\"in_ms\":\"soon\"")) ==
          "central record: parts[1].in_ms: expected an integer");
    CHECK(error_of(replaced(json, "\"role\":\"induction_tutor\"", "\"role\":\"SIT\"")) ==
          "central record: role: unknown value");  // a roster spelling is not a stored code
    CHECK(error_of(replaced(json, "\"00000000-0000-4000-8000-000000000001\"", "7")) ==
          "central record: check_in_uuids[0]: expected a string");
}

TEST_CASE("Two versions state the same attendance when only their identity differs", "[central][record]") {
    const CentralRecord a = full_record();
    CentralRecord b = a;
    b.record_id = "another";
    b.version = 9;
    b.created_ms = 1;
    b.cause = "sign_off";
    CHECK(central::same_content(a, b));

    auto changed = [&](auto&& change) {
        CentralRecord c = a;
        change(c);
        return !central::same_content(a, c);
    };
    CHECK(changed([](CentralRecord& c) { c.status = AttendanceStatus::present; }));
    CHECK(changed([](CentralRecord& c) { c.parts[1].attended = true; }));
    CHECK(changed([](CentralRecord& c) { c.parts.pop_back(); }));
    CHECK(changed([](CentralRecord& c) { c.check_in_uuids.push_back("late upload"); }));
    CHECK(changed([](CentralRecord& c) { c.reason = "another reason"; }));
    CHECK(changed([](CentralRecord& c) { c.caught_up_on = std::nullopt; }));
    CHECK(changed([](CentralRecord& c) { c.school_urn = "654321"; }));
}

TEST_CASE("Evidence held follows the status", "[central][record]") {
    using S = AttendanceStatus;
    for (S s : {S::present, S::late, S::left_early, S::alternate})
        CHECK(central::evidence_held(s) == EvidenceHeld::training_event_attended);
    CHECK(central::evidence_held(S::caught_up) == EvidenceHeld::caught_up);
    CHECK(central::evidence_held(S::absent) == EvidenceHeld::none);
    CHECK(central::evidence_held(S::excused) == EvidenceHeld::none);
    CHECK(central::to_string(EvidenceHeld::training_event_attended) == "training_event_attended");
    CHECK(central::label(EvidenceHeld::training_event_attended) == "Training event attended");
    CHECK(central::label(EvidenceHeld::caught_up) == "Caught up");
    CHECK(central::to_string(EvidenceHeld::none) == "none");
}
