// The central attendance record as JSON (central_record.hpp): the form stored in
// central_records.payload and sent to every target. Boost.JSON like the sync messages: the
// writer emits every field (optional ones as null), the reader is strict (every field
// present, of its type) and names the offending field, so a stored payload that does not
// read back is found, not half-sent.
#include "muster/central/central_record.hpp"

#include "../json_fields.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <tuple>

namespace muster::central {
namespace json = boost::json;

std::string_view to_string(EvidenceHeld e) {
    switch (e) {
        case EvidenceHeld::training_event_attended: return "training_event_attended";
        case EvidenceHeld::caught_up: return "caught_up";
        case EvidenceHeld::none: return "none";
    }
    return "?";
}

std::string_view label(EvidenceHeld e) {
    switch (e) {
        case EvidenceHeld::training_event_attended: return "Training event attended";
        case EvidenceHeld::caught_up: return "Caught up";
        case EvidenceHeld::none: return "None";
    }
    return "?";
}

EvidenceHeld evidence_held(AttendanceStatus s) {
    switch (s) {
        case AttendanceStatus::present:
        case AttendanceStatus::late:
        case AttendanceStatus::left_early:
        case AttendanceStatus::alternate: return EvidenceHeld::training_event_attended;
        case AttendanceStatus::caught_up: return EvidenceHeld::caught_up;
        case AttendanceStatus::absent:
        case AttendanceStatus::excused: return EvidenceHeld::none;
    }
    return EvidenceHeld::none;
}

namespace {

std::optional<EvidenceHeld> parse_evidence(std::string_view s) {
    for (auto e : {EvidenceHeld::training_event_attended, EvidenceHeld::caught_up, EvidenceHeld::none})
        if (to_string(e) == s) return e;
    return std::nullopt;
}

// ---- writing ----

template <typename T>
json::value opt(const std::optional<T>& v) {
    if (!v) return nullptr;
    return json::value_from(*v);
}

json::object write(const RecordPart& p) {
    return {{"session_id", p.session_id},   {"name", p.name},         {"starts_ms", p.starts_ms},
            {"ends_ms", p.ends_ms},         {"attended", p.attended}, {"in_ms", opt(p.in_ms)},
            {"minutes_late", opt(p.minutes_late)}};
}

// ---- reading ----

// A record is written whole, so a field missing from a stored one is damage.
[[noreturn]] void raise_record_error(const std::string& message) { throw std::runtime_error("central record: " + message); }
constexpr json_fields::Rules record_rules{false, "record", raise_record_error};
using json_fields::Fields;

RecordPart read_part(const Fields& f) {
    RecordPart p;
    p.session_id = f.integer("session_id");
    p.name = f.text("name");
    p.starts_ms = f.integer("starts_ms");
    p.ends_ms = f.integer("ends_ms");
    p.attended = f.boolean("attended");
    p.in_ms = f.opt_integer("in_ms");
    p.minutes_late = f.opt_small_int("minutes_late");
    return p;
}

std::optional<EventKind> event_kind(std::string_view s) { return parse_event_kind(s); }
std::optional<AttendanceStatus> status_of(std::string_view s) { return parse_attendance_status(s); }
// Role codes only: parse_role also takes roster spellings, which a stored record never holds.
std::optional<Role> role_of(std::string_view s) {
    for (Role r : all_roles())
        if (to_string(r) == s) return r;
    return std::nullopt;
}

}  // namespace

std::string to_json(const CentralRecord& r) {
    json::array parts;
    parts.reserve(r.parts.size());
    for (const auto& p : r.parts) parts.emplace_back(write(p));
    json::array uuids;
    uuids.reserve(r.check_in_uuids.size());
    for (const auto& u : r.check_in_uuids) uuids.emplace_back(u);
    json::object o{{"record_id", r.record_id},
                   {"version", r.version},
                   {"created_ms", r.created_ms},
                   {"cause", r.cause},
                   {"event_id", r.event_id},
                   {"event_title", r.event_title},
                   {"event_date", r.event_date},
                   {"venue", r.venue},
                   {"programme", r.programme},
                   {"course", r.course},
                   {"cohort", r.cohort},
                   {"event_kind", to_string(r.event_kind)},
                   {"signed_off_ms", r.signed_off_ms},
                   {"participant_id", r.participant_id},
                   {"first_name", r.first_name},
                   {"last_name", r.last_name},
                   {"trn", opt(r.trn)},
                   {"email", opt(r.email)},
                   {"school_name", opt(r.school_name)},
                   {"school_urn", opt(r.school_urn)},
                   {"lead_provider", opt(r.lead_provider)},
                   {"delivery_partner", opt(r.delivery_partner)},
                   {"role", to_string(r.role)},
                   {"status", to_string(r.status)},
                   {"minutes_late", opt(r.minutes_late)},
                   {"left_early", r.left_early},
                   {"checked_out_ms", opt(r.checked_out_ms)},
                   {"parts", std::move(parts)},
                   {"evidence", to_string(r.evidence)},
                   {"evidence_note", r.evidence_note},
                   {"caught_up_on", opt(r.caught_up_on)},
                   {"alternate_event_id", opt(r.alternate_event_id)},
                   {"alternate_event_date", r.alternate_event_date},
                   {"check_in_uuids", std::move(uuids)},
                   {"reason", r.reason}};
    return json::serialize(o);
}

CentralRecord parse_central_record(std::string_view text) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) throw std::runtime_error("central record: not valid JSON (" + ec.message() + ")");
    Fields f(v, "", record_rules);
    CentralRecord r;
    r.record_id = f.text("record_id");
    if (r.record_id.empty()) f.fail("record_id", "empty");
    r.version = f.small_int("version");
    if (r.version < 1) f.fail("version", "expected 1 or more");
    r.created_ms = f.integer("created_ms");
    r.cause = f.text("cause");
    r.event_id = f.integer("event_id");
    r.event_title = f.text("event_title");
    r.event_date = f.text("event_date");
    r.venue = f.text("venue");
    r.programme = f.text("programme");
    r.course = f.text("course");
    r.cohort = f.small_int("cohort");
    r.event_kind = f.enumeration("event_kind", event_kind);
    r.signed_off_ms = f.integer("signed_off_ms");
    r.participant_id = f.integer("participant_id");
    r.first_name = f.text("first_name");
    r.last_name = f.text("last_name");
    r.trn = f.opt_text("trn");
    r.email = f.opt_text("email");
    r.school_name = f.opt_text("school_name");
    r.school_urn = f.opt_text("school_urn");
    r.lead_provider = f.opt_text("lead_provider");
    r.delivery_partner = f.opt_text("delivery_partner");
    r.role = f.enumeration("role", role_of);
    r.status = f.enumeration("status", status_of);
    r.minutes_late = f.opt_small_int("minutes_late");
    r.left_early = f.boolean("left_early");
    r.checked_out_ms = f.opt_integer("checked_out_ms");
    r.parts = f.list("parts", read_part);
    r.evidence = f.enumeration("evidence", parse_evidence);
    r.evidence_note = f.text("evidence_note");
    r.caught_up_on = f.opt_text("caught_up_on");
    r.alternate_event_id = f.opt_integer("alternate_event_id");
    r.alternate_event_date = f.text("alternate_event_date");
    r.check_in_uuids = f.strings("check_in_uuids");
    r.reason = f.text("reason");
    return r;
}

namespace {

auto part_tie(const RecordPart& p) {
    return std::tie(p.session_id, p.name, p.starts_ms, p.ends_ms, p.attended, p.in_ms, p.minutes_late);
}

}  // namespace

bool same_content(const CentralRecord& a, const CentralRecord& b) {
    auto content = [](const CentralRecord& r) {
        return std::tie(r.event_id, r.event_title, r.event_date, r.venue, r.programme, r.course, r.cohort, r.event_kind,
                        r.signed_off_ms, r.participant_id, r.first_name, r.last_name, r.trn, r.email, r.school_name,
                        r.school_urn, r.lead_provider, r.delivery_partner, r.role, r.status, r.minutes_late, r.left_early,
                        r.checked_out_ms, r.evidence, r.evidence_note, r.caught_up_on, r.alternate_event_id,
                        r.alternate_event_date, r.check_in_uuids, r.reason);
    };
    if (content(a) != content(b)) return false;
    if (a.parts.size() != b.parts.size()) return false;
    for (std::size_t i = 0; i < a.parts.size(); ++i)
        if (part_tie(a.parts[i]) != part_tie(b.parts[i])) return false;
    return true;
}

}  // namespace muster::central
