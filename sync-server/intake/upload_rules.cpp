#include "upload_rules.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/time/uk_time.hpp"

namespace muster::server {
namespace {

using sync::Rejection;
using sync::RejectionCode;

std::optional<Rejection> refuse(const std::string& uuid, RejectionCode code, std::string reason) {
    return Rejection{uuid, std::move(reason), code};
}

std::string id_text(std::optional<std::int64_t> id) { return id ? std::to_string(*id) : std::string("none"); }

// The outcomes a kiosk records without naming anyone: a badge that is not a Muster badge
// (any method), and an NFC card the device's roster has no owner for.
bool names_nobody(Outcome o, Method m) {
    return o == Outcome::invalid_badge || (o == Outcome::unknown_badge && m == Method::nfc);
}

// What both kinds of record share: sender, event, time. `made_ms` is the device's clock.
std::optional<Rejection> judge_origin(const std::string& uuid, const std::string& device_id, EventId event_id,
                                      TimeMs made_ms, const DeviceRecord& sender, const EventScope& event,
                                      const UploadClock& clock) {
    if (device_id != sender.id)
        return refuse(uuid, RejectionCode::not_this_device,
                      "the record names another device than the one that sent it");
    if (event_id != sender.event_id)
        return refuse(uuid, RejectionCode::wrong_event, "event " + std::to_string(event_id) + " is not this device's event");
    if (!event.exists)
        return refuse(uuid, RejectionCode::wrong_event, "this device's event is no longer at the hub");
    if (made_ms > clock.device_time_ms + made_after_sent_ms)
        return refuse(uuid, RejectionCode::time_implausible, "made after the upload was sent (device clock)");
    TimeMs hub_ms = made_ms - clock.skew_ms;
    if (hub_ms < event.first_ms || hub_ms >= event.end_ms)
        return refuse(uuid, RejectionCode::time_implausible,
                      "made at " + uk_time::format_local(hub_ms) + " (hub time), outside the event's days");
    return std::nullopt;
}

std::optional<Rejection> judge_participant(const CheckIn& c, UploadFacts& facts) {
    if (!c.participant_id) {
        if (!names_nobody(c.outcome, c.method))
            return refuse(c.uuid, RejectionCode::bad_field,
                          "participant_id: missing for outcome " + std::string(to_string(c.outcome)));
        if (c.badge_serial) return refuse(c.uuid, RejectionCode::bad_field, "badge_serial: given without a participant");
        return std::nullopt;
    }
    ParticipantId who = *c.participant_id;
    if (c.outcome == Outcome::invalid_badge)
        return refuse(c.uuid, RejectionCode::bad_field, "participant_id: an invalid badge names nobody");
    auto no_such_person = [&] {
        return refuse(c.uuid, RejectionCode::unknown_participant, "participant " + std::to_string(who) + " is not at the hub");
    };
    if (who <= 0) return no_such_person();
    if (c.badge_serial) {
        // An issued badge names an existing participant (a foreign key), so the common case
        // is one look-up; the person is looked up only to name the refusal.
        if (facts.badge_issued(who, *c.badge_serial)) return std::nullopt;
        if (!facts.participant_exists(who)) return no_such_person();
        return refuse(c.uuid, RejectionCode::unknown_badge,
                      "badge serial " + std::to_string(*c.badge_serial) + " was never issued to participant " +
                          std::to_string(who));
    }
    if (!facts.participant_exists(who)) return no_such_person();
    switch (c.method) {
    case Method::qr:  // a genuine QR badge always carries its serial
        return refuse(c.uuid, RejectionCode::unknown_badge, "a QR check-in naming a participant has no badge serial");
    case Method::nfc:  // a card without a token is known by its UID, which the hub enrolled
        if (!facts.held_nfc_card(who))
            return refuse(c.uuid, RejectionCode::unknown_badge,
                          "participant " + std::to_string(who) + " was never given an NFC card");
        return std::nullopt;
    case Method::manual: return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::pair<TimeMs, TimeMs>> event_days(std::string_view local_date) {
    auto date = uk_time::parse_date(local_date);
    if (!date) return std::nullopt;
    auto day = uk_time::days_from_civil(date->year, date->month, date->day);
    auto midnight = [](std::int64_t days) {
        auto d = uk_time::civil_from_days(days);
        d.hour = d.minute = d.second = 0;
        return uk_time::from_local(d);
    };
    return std::pair{midnight(day - 1), midnight(day + 2)};
}

EventScope scope_of(const Event& e) {
    EventScope s;
    s.event_id = e.id;
    for (const auto& session : e.sessions) s.sessions.insert(session.id);
    for (const auto& room : e.rooms) s.rooms.insert(room.id);
    if (auto days = event_days(e.local_date)) {
        s.exists = true;
        s.first_ms = days->first;
        s.end_ms = days->second;
    }
    return s;
}

std::optional<Rejection> judge_check_in(const CheckIn& c, const DeviceRecord& sender, const EventScope& event,
                                        const UploadClock& clock, UploadFacts& facts) {
    if (auto r = judge_origin(c.uuid, c.device_id, c.event_id, c.device_ms, sender, event, clock)) return r;
    if (auto p = limits::problem_in(c)) return refuse(c.uuid, RejectionCode::bad_field, *p);
    if (c.device_seq < 1) return refuse(c.uuid, RejectionCode::bad_field, "device_seq: not a sequence number");
    // The kiosk writes the UK offset of the moment it records (check_in_desk.cpp commit).
    if (c.device_offset_min != uk_time::offset_minutes(c.device_ms))
        return refuse(c.uuid, RejectionCode::bad_field,
                      "device_offset_min: " + std::to_string(c.device_offset_min) + " is not the UK offset at device_ms");
    if (c.method == Method::manual && (!c.staff || c.staff->empty() || c.reason.empty()))
        return refuse(c.uuid, RejectionCode::bad_field, "a manual check-in needs the staff member and a reason");
    if (c.session_id && !event.sessions.count(*c.session_id))
        return refuse(c.uuid, RejectionCode::unknown_session,
                      "session " + std::to_string(*c.session_id) + " is not a session of this device's event");
    // Exactly the device's place: an entrance device has no room, a room device its own.
    if (c.room_id != sender.room_id)
        return refuse(c.uuid, RejectionCode::wrong_room,
                      "room " + id_text(c.room_id) + " is not this device's room (" + id_text(sender.room_id) + ")");
    if (sender.room_id && !event.rooms.count(*sender.room_id))
        return refuse(c.uuid, RejectionCode::wrong_room, "this device's room is not a room of its event");
    return judge_participant(c, facts);
}

std::optional<Rejection> judge_correction(const Correction& c, const DeviceRecord& sender, const EventScope& event,
                                          const UploadClock& clock, UploadFacts& facts) {
    // Attendance marks are hub staff's and facilitators' (admin tool, web), never a device's.
    if (c.kind == CorrectionKind::mark)
        return refuse(c.uuid, RejectionCode::not_allowed, "a device may not set an attendance mark");
    if (auto r = judge_origin(c.uuid, c.device_id.value_or(sender.id), c.event_id, c.created_ms, sender, event, clock))
        return r;
    if (auto p = limits::problem_in(c)) return refuse(c.uuid, RejectionCode::bad_field, *p);
    if (c.reason.empty() || c.author.empty())
        return refuse(c.uuid, RejectionCode::bad_field, "a void needs a reason and the staff member's name");
    if (c.status) return refuse(c.uuid, RejectionCode::bad_field, "status: a void sets no attendance status");
    if (!c.target_uuid) return refuse(c.uuid, RejectionCode::bad_field, "target_uuid: a void names the check-in it cancels");
    auto target = facts.stored_check_in(*c.target_uuid);
    if (!target || target->device_id != sender.id)
        return refuse(c.uuid, RejectionCode::not_allowed, "a device may void only check-ins it made and the hub stored");
    if (c.participant_id != target->participant_id || c.event_id != target->event_id || c.session_id != target->session_id)
        return refuse(c.uuid, RejectionCode::bad_field,
                      "participant, event or session differ from the check-in the void cancels");
    return std::nullopt;
}

std::optional<Rejection> judge_resent(const CheckIn& a, const CheckIn& b, const DeviceRecord& sender) {
    if (b.device_id != sender.id)
        return refuse(a.uuid, RejectionCode::conflict, "this uuid is already stored for another device");
    bool same = a.device_id == b.device_id && a.device_seq == b.device_seq && a.participant_id == b.participant_id &&
                a.event_id == b.event_id && a.session_id == b.session_id && a.room_id == b.room_id &&
                a.direction == b.direction && a.method == b.method && a.outcome == b.outcome && a.reason == b.reason &&
                a.badge_serial == b.badge_serial && a.device_ms == b.device_ms &&
                a.device_offset_min == b.device_offset_min && a.staff == b.staff;
    if (!same) return refuse(a.uuid, RejectionCode::conflict, "this uuid is already stored with other content");
    return std::nullopt;
}

std::optional<Rejection> judge_resent(const Correction& a, const Correction& b, const DeviceRecord& sender) {
    if (b.device_id != sender.id)
        return refuse(a.uuid, RejectionCode::conflict, "this uuid is already stored for another device or the hub");
    bool same = a.device_id.value_or(sender.id) == sender.id && a.kind == b.kind && a.target_uuid == b.target_uuid &&
                a.participant_id == b.participant_id && a.event_id == b.event_id && a.session_id == b.session_id &&
                a.status == b.status && a.reason == b.reason && a.author == b.author && a.created_ms == b.created_ms;
    if (!same) return refuse(a.uuid, RejectionCode::conflict, "this uuid is already stored with other content");
    return std::nullopt;
}

}  // namespace muster::server
