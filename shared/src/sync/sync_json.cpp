// JSON form of the sync messages (Boost.JSON). Writers emit every field; readers are strict
// about types and name the offending field in the error. Text is taken as it is: what a
// record's text may hold is judged per record by its receiver (docs/security.md, "Field limits").
#include "muster/sync/sync_messages.hpp"

#include "../json_fields.hpp"

#include <boost/json.hpp>

namespace muster::sync {
namespace json = boost::json;
namespace {

// ---- writing ----

template <typename T>
json::value opt(const std::optional<T>& v) {
    if (!v) return nullptr;
    return json::value_from(*v);
}

json::object write(const CheckIn& c) {
    return {{"uuid", c.uuid},
            {"device_id", c.device_id},
            {"device_seq", c.device_seq},
            {"participant_id", opt(c.participant_id)},
            {"event_id", c.event_id},
            {"session_id", opt(c.session_id)},
            {"room_id", opt(c.room_id)},
            {"direction", to_string(c.direction)},
            {"method", to_string(c.method)},
            {"outcome", to_string(c.outcome)},
            {"reason", c.reason},
            {"badge_serial", opt(c.badge_serial)},
            {"device_ms", c.device_ms},
            {"device_offset_min", c.device_offset_min},
            {"staff", opt(c.staff)}};
}

json::object write(const Correction& c) {
    std::optional<std::string> status;
    if (c.status) status = std::string(to_string(*c.status));
    return {{"uuid", c.uuid},
            {"kind", c.kind == CorrectionKind::void_scan ? "void" : "mark"},
            {"target_uuid", opt(c.target_uuid)},
            {"participant_id", opt(c.participant_id)},
            {"event_id", c.event_id},
            {"session_id", opt(c.session_id)},
            {"status", opt(status)},
            {"reason", c.reason},
            {"author", c.author},
            {"device_id", opt(c.device_id)},
            {"created_ms", c.created_ms}};
}

json::object write(const Participant& p) {
    return {{"id", p.id},
            {"trn", opt(p.trn)},
            {"first_name", p.first_name},
            {"last_name", p.last_name},
            {"preferred_name", opt(p.preferred_name)},
            {"school_name", opt(p.school_name)},
            {"school_urn", opt(p.school_urn)},
            {"role", to_string(p.role)},
            {"programme", opt(p.programme)},
            {"cohort", opt(p.cohort)},
            {"programme_year", opt(p.programme_year)},
            {"part_time", p.part_time}};
}

json::object write(const Event& e) {
    return {{"id", e.id},         {"programme", e.programme}, {"item", e.item},
            {"cohort", e.cohort}, {"kind", to_string(e.kind)}, {"title", e.title},
            {"venue", e.venue},   {"local_date", e.local_date}, {"late_after_min", e.late_after_min}};
}

json::object write(const Session& s) {
    return {{"id", s.id},
            {"event_id", s.event_id},
            {"name", s.name},
            {"starts_ms", s.starts_ms},
            {"ends_ms", s.ends_ms},
            {"opens_before_min", s.opens_before_min},
            {"closes_after_min", s.closes_after_min}};
}

json::object write(const Room& r) { return {{"id", r.id}, {"event_id", r.event_id}, {"name", r.name}}; }

json::object write(const Enrolment& e) {
    return {{"event_id", e.event_id}, {"participant_id", e.participant_id}, {"room_id", opt(e.room_id)}};
}

json::object write(const EnrolmentRemoval& r) {
    return {{"event_id", r.event_id}, {"participant_id", r.participant_id}};
}

json::object write(const FacilitatorRow& f) { return {{"participant_id", f.participant_id}, {"lead", f.lead}}; }

json::object write(const BadgeRow& b) {
    return {{"participant_id", b.participant_id}, {"serial", b.serial},
            {"issued_ms", b.issued_ms},           {"revoked_ms", opt(b.revoked_ms)},
            {"revoke_reason", opt(b.revoke_reason)}, {"token_digest", opt(b.token_digest)}};
}

json::object write(const NfcCardRow& c) {
    return {{"uid", c.uid}, {"participant_id", c.participant_id}, {"attached_ms", c.attached_ms},
            {"detached_ms", opt(c.detached_ms)}};
}

json::object write(const SatisfactionAnswer& a) {
    return {{"uuid", a.uuid},
            {"event_id", a.event_id},
            {"session_id", opt(a.session_id)},
            {"answer", to_string(a.answer)},
            {"answered_hour_ms", a.answered_hour_ms}};
}

json::object write(const RoomFacilitators& r);  // holds a list: after write_all

template <typename T>
json::array write_all(const std::vector<T>& items) {
    json::array a;
    a.reserve(items.size());
    for (const auto& i : items) a.emplace_back(write(i));
    return a;
}

json::object write(const RoomFacilitators& r) { return {{"room_id", r.room_id}, {"facilitators", write_all(r.facilitators)}}; }

// ---- reading ----

// A message may leave out what it does not carry (absent reads as null, an absent list as
// empty); a failure is a ProtocolError naming the field.
[[noreturn]] void raise_protocol_error(const std::string& message) { throw ProtocolError(message); }
constexpr json_fields::Rules message_rules{true, "body", raise_protocol_error};

using json_fields::Fields;

std::optional<CorrectionKind> parse_correction_kind(std::string_view s) {
    if (s == "void") return CorrectionKind::void_scan;
    if (s == "mark") return CorrectionKind::mark;
    return std::nullopt;
}

CheckIn read_check_in(const Fields& f) {
    CheckIn c;
    c.uuid = f.text("uuid");
    if (c.uuid.empty() || c.uuid.size() > 64) f.fail("uuid", "expected 1-64 characters");
    c.device_id = f.text("device_id");
    c.device_seq = f.integer("device_seq");
    c.participant_id = f.opt_integer("participant_id");
    c.event_id = f.integer("event_id");
    c.session_id = f.opt_integer("session_id");
    c.room_id = f.opt_integer("room_id");
    c.direction = f.enumeration("direction", parse_direction);
    c.method = f.enumeration("method", parse_method);
    c.outcome = f.enumeration("outcome", parse_outcome);
    c.reason = f.opt_text("reason").value_or("");
    c.badge_serial = f.opt_integer("badge_serial");
    c.device_ms = f.integer("device_ms");
    c.device_offset_min = f.small_int("device_offset_min");
    c.staff = f.opt_text("staff");
    return c;
}

Correction read_correction(const Fields& f) {
    Correction c;
    c.uuid = f.text("uuid");
    if (c.uuid.empty() || c.uuid.size() > 64) f.fail("uuid", "expected 1-64 characters");
    c.kind = f.enumeration("kind", parse_correction_kind);
    c.target_uuid = f.opt_text("target_uuid");
    c.participant_id = f.opt_integer("participant_id");
    c.event_id = f.integer("event_id");
    c.session_id = f.opt_integer("session_id");
    if (auto s = f.opt_text("status")) {
        c.status = parse_attendance_status(*s);
        if (!c.status) f.fail("status", "unknown value");
    }
    c.reason = f.text("reason");
    c.author = f.text("author");
    c.device_id = f.opt_text("device_id");
    c.created_ms = f.integer("created_ms");
    return c;
}

SatisfactionAnswer read_satisfaction(const Fields& f) {
    SatisfactionAnswer a;
    a.uuid = f.text("uuid");
    if (a.uuid.empty() || a.uuid.size() > 64) f.fail("uuid", "expected 1-64 characters");
    a.event_id = f.integer("event_id");
    a.session_id = f.opt_integer("session_id");
    a.answer = f.enumeration("answer", parse_satisfaction_answer);
    a.answered_hour_ms = f.integer("answered_hour_ms");
    if (a.answered_hour_ms < 0 || a.answered_hour_ms % 3'600'000 != 0)
        f.fail("answered_hour_ms", "expected a whole hour in milliseconds");
    return a;
}

Participant read_participant(const Fields& f) {
    Participant p;
    p.id = f.integer("id");
    p.trn = f.opt_text("trn");
    p.first_name = f.text("first_name");
    p.last_name = f.text("last_name");
    p.preferred_name = f.opt_text("preferred_name");
    p.school_name = f.opt_text("school_name");
    p.school_urn = f.opt_text("school_urn");
    p.role = f.enumeration("role", parse_role);
    p.programme = f.opt_text("programme");
    p.cohort = f.opt_small_int("cohort");
    p.programme_year = f.opt_small_int("programme_year");
    p.part_time = f.boolean("part_time");
    return p;
}

Event read_event(const Fields& f) {
    Event e;
    e.id = f.integer("id");
    e.programme = f.text("programme");
    e.item = f.text("item");
    e.cohort = f.small_int("cohort");
    e.kind = f.enumeration("kind", parse_event_kind);
    e.title = f.text("title");
    e.venue = f.text("venue");
    e.local_date = f.text("local_date");
    e.late_after_min = f.small_int("late_after_min");
    return e;
}

Session read_session(const Fields& f) {
    Session s;
    s.id = f.integer("id");
    s.event_id = f.integer("event_id");
    s.name = f.text("name");
    s.starts_ms = f.integer("starts_ms");
    s.ends_ms = f.integer("ends_ms");
    s.opens_before_min = f.small_int("opens_before_min");
    s.closes_after_min = f.small_int("closes_after_min");
    return s;
}

Room read_room(const Fields& f) { return Room{f.integer("id"), f.integer("event_id"), f.text("name")}; }

Enrolment read_enrolment(const Fields& f) {
    return Enrolment{f.integer("event_id"), f.integer("participant_id"), f.opt_integer("room_id")};
}

EnrolmentRemoval read_enrolment_removal(const Fields& f) {
    return EnrolmentRemoval{f.integer("event_id"), f.integer("participant_id")};
}

FacilitatorRow read_facilitator(const Fields& f) { return FacilitatorRow{f.integer("participant_id"), f.boolean("lead")}; }

RoomFacilitators read_room_facilitators(const Fields& f) {
    return RoomFacilitators{f.integer("room_id"), f.list("facilitators", read_facilitator)};
}

BadgeRow read_badge(const Fields& f) {
    return BadgeRow{f.integer("participant_id"), f.integer("serial"), f.integer("issued_ms"),
                    f.opt_integer("revoked_ms"), f.opt_text("revoke_reason"), f.opt_text("token_digest")};
}

NfcCardRow read_card(const Fields& f) {
    return NfcCardRow{f.text("uid"), f.integer("participant_id"), f.integer("attached_ms"), f.opt_integer("detached_ms")};
}

Rejection read_rejection(const Fields& f) {
    // The code is optional: servers before it was added sent only the reason.
    auto code = f.opt_text("code");
    return Rejection{f.text("uuid"), f.text("reason"), code ? rejection_code_from(*code) : RejectionCode::unknown};
}

json::value parse_body(std::string_view text) {
    boost::system::error_code ec;
    json::parse_options options;
    options.max_depth = 16;  // our messages are three levels deep; refuse pathological nesting
    auto v = json::parse(text, ec, {}, options);
    if (ec) throw ProtocolError("body: not valid JSON (" + ec.message() + ")");
    return v;
}

}  // namespace

std::string to_json(const UploadBatch& b) {
    return json::serialize(json::object{
        {"device_time_ms", b.device_time_ms},
        {"check_ins", write_all(b.check_ins)},
        {"corrections", write_all(b.corrections)},
        {"satisfaction", write_all(b.satisfaction)}});
}

std::string to_json(const UploadReply& r) {
    json::array rejected;
    for (const auto& x : r.rejected)
        rejected.emplace_back(json::object{{"uuid", x.uuid}, {"reason", x.reason}, {"code", to_string(x.code)}});
    json::array acked;
    for (const auto& u : r.acked) acked.emplace_back(u);
    return json::serialize(json::object{{"server_time_ms", r.server_time_ms},
                                        {"acked", std::move(acked)},
                                        {"rejected", std::move(rejected)},
                                        {"clock_skew_ms", r.clock_skew_ms},
                                        {"clock_flagged", r.clock_flagged}});
}

std::string to_json(const Changes& c) {
    return json::serialize(json::object{{"server_time_ms", c.server_time_ms},
                                        {"cursor", c.cursor},
                                        {"more", c.more},
                                        {"participants", write_all(c.participants)},
                                        {"events", write_all(c.events)},
                                        {"sessions", write_all(c.sessions)},
                                        {"rooms", write_all(c.rooms)},
                                        {"enrolments", write_all(c.enrolments)},
                                        {"enrolment_removals", write_all(c.enrolment_removals)},
                                        {"room_facilitators", write_all(c.room_facilitators)},
                                        {"badges", write_all(c.badges)},
                                        {"nfc_cards", write_all(c.nfc_cards)},
                                        {"check_ins", write_all(c.check_ins)},
                                        {"corrections", write_all(c.corrections)}});
}

namespace {
constexpr std::pair<ErrorCode, std::string_view> error_codes[] = {
    {ErrorCode::unknown, "unknown"},
    {ErrorCode::bad_request, "bad_request"},
    {ErrorCode::not_found, "not_found"},
    {ErrorCode::method_not_allowed, "method_not_allowed"},
    {ErrorCode::too_large, "too_large"},
    {ErrorCode::unauthenticated, "unauthenticated"},
    {ErrorCode::clock_skew, "clock_skew"},
    {ErrorCode::replayed, "replayed"},
    {ErrorCode::revoked, "revoked"},
    {ErrorCode::store_busy, "store_busy"},
    {ErrorCode::unavailable, "unavailable"},
};
}  // namespace

std::string_view to_string(ErrorCode code) {
    for (const auto& [c, name] : error_codes)
        if (c == code) return name;
    return "unknown";
}

ErrorCode error_code_from(std::string_view text) {
    for (const auto& [c, name] : error_codes)
        if (name == text) return c;
    return ErrorCode::unknown;
}

namespace {
constexpr std::pair<RejectionCode, std::string_view> rejection_codes[] = {
    {RejectionCode::unknown, "unknown"},
    {RejectionCode::not_this_device, "not_this_device"},
    {RejectionCode::wrong_event, "wrong_event"},
    {RejectionCode::unknown_session, "unknown_session"},
    {RejectionCode::wrong_room, "wrong_room"},
    {RejectionCode::unknown_participant, "unknown_participant"},
    {RejectionCode::unknown_badge, "unknown_badge"},
    {RejectionCode::not_allowed, "not_allowed"},
    {RejectionCode::bad_field, "bad_field"},
    {RejectionCode::time_implausible, "time_implausible"},
    {RejectionCode::conflict, "conflict"},
    {RejectionCode::sequence_taken, "sequence_taken"},
};
}  // namespace

std::string_view to_string(RejectionCode code) {
    for (const auto& [c, name] : rejection_codes)
        if (c == code) return name;
    return "unknown";
}

RejectionCode rejection_code_from(std::string_view text) {
    for (const auto& [c, name] : rejection_codes)
        if (name == text) return c;
    return RejectionCode::unknown;
}

std::string to_json(const ErrorReply& e) {
    return json::serialize(
        json::object{{"error", e.error}, {"code", to_string(e.code)}, {"server_time_ms", e.server_time_ms}});
}

UploadBatch parse_upload_batch(std::string_view text) {
    auto v = parse_body(text);
    Fields f(v, "", message_rules);
    UploadBatch b;
    b.device_time_ms = f.integer("device_time_ms");
    b.check_ins = f.list("check_ins", read_check_in);
    b.corrections = f.list("corrections", read_correction);
    b.satisfaction = f.list("satisfaction", read_satisfaction);  // absent from older devices: empty
    if (b.check_ins.size() + b.corrections.size() + b.satisfaction.size() > max_batch_records)
        throw ProtocolError("body: more than " + std::to_string(max_batch_records) + " records in one upload");
    return b;
}

UploadReply parse_upload_reply(std::string_view text) {
    auto v = parse_body(text);
    Fields f(v, "", message_rules);
    UploadReply r;
    r.server_time_ms = f.integer("server_time_ms");
    r.acked = f.strings("acked");
    r.rejected = f.list("rejected", read_rejection);
    r.clock_skew_ms = f.integer("clock_skew_ms");
    r.clock_flagged = f.boolean("clock_flagged");
    return r;
}

Changes parse_changes(std::string_view text) {
    auto v = parse_body(text);
    Fields f(v, "", message_rules);
    Changes c;
    c.server_time_ms = f.integer("server_time_ms");
    c.cursor = f.integer("cursor");
    c.more = f.boolean("more");
    c.participants = f.list("participants", read_participant);
    c.events = f.list("events", read_event);
    c.sessions = f.list("sessions", read_session);
    c.rooms = f.list("rooms", read_room);
    c.enrolments = f.list("enrolments", read_enrolment);
    // Absent from servers before they were added: read as empty (Fields::list).
    c.enrolment_removals = f.list("enrolment_removals", read_enrolment_removal);
    c.room_facilitators = f.list("room_facilitators", read_room_facilitators);
    c.badges = f.list("badges", read_badge);
    c.nfc_cards = f.list("nfc_cards", read_card);
    c.check_ins = f.list("check_ins", read_check_in);
    c.corrections = f.list("corrections", read_correction);
    return c;
}

ErrorReply parse_error_reply(std::string_view text) {
    auto v = parse_body(text);
    Fields f(v, "", message_rules);
    ErrorReply e{f.text("error"), f.integer("server_time_ms")};
    // Optional: servers before the code was added sent only the message.
    if (const auto* code = v.as_object().if_contains("code"); code && code->is_string())
        e.code = error_code_from(std::string_view(code->as_string()));
    return e;
}

}  // namespace muster::sync
