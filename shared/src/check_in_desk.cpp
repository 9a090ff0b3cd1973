#include "muster/checkin/check_in_desk.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/uuid.hpp"

#include <stdexcept>

namespace muster::checkin {
namespace {

// Staff type these by hand; text that could never be synced (too long, a control
// character, broken UTF-8) is refused here, before anything is written, rather than
// recorded and then refused by the hub for ever.
void check_staff_text(std::string_view field, const std::string& value, std::size_t max_chars) {
    if (auto problem = limits::text_problem(value, max_chars))
        throw std::invalid_argument(std::string(field) + ": " + *problem);
}

// The rooms of `event` that `who` facilitates, the device's own first when it is one.
std::vector<std::pair<RoomId, std::string>> facilitated_rooms(db::Database& db, EventId event, ParticipantId who,
                                                              std::optional<RoomId> own) {
    auto& s = db.cached("SELECT r.id, r.name FROM room_facilitators f JOIN rooms r ON r.id = f.room_id "
                        "WHERE r.event_id = ?1 AND f.participant_id = ?2 ORDER BY r.id = ?3 DESC, f.lead DESC, r.id");
    s.bind(1, event).bind(2, who).bind(3, own);
    return s.query_all([](const db::Statement& r) { return std::pair{r.int64(0), r.text(1)}; });
}

}  // namespace

CheckInDesk::CheckInDesk(db::Database& db, const badge::PublicKey& hub_key, DeviceSetup setup)
    : db_(db), verifier_(hub_key), setup_(std::move(setup)) {
    set_session(setup_.session_id);
    reload_issued_badges();
}

void CheckInDesk::reload_issued_badges() { verifier_.trust_issued(store::issued_token_digests(db_)); }

void CheckInDesk::set_session(SessionId session) {
    auto s = store::load_session(db_, session);
    if (!s || s->event_id != setup_.event_id)
        throw std::invalid_argument("session " + std::to_string(session) + " is not part of event " +
                                    std::to_string(setup_.event_id));
    session_ = *s;
    setup_.session_id = session;
}

Credential CheckInDesk::identify(const ScanInput& input) {
    Credential c;
    c.method = input.method;
    // An NFC card's signed token wins over its UID; a card with no token is looked up by UID.
    bool use_token = input.method == Method::qr || !input.payload.empty();
    if (use_token) {
        auto verified = verifier_.verify(input.payload);
        if (!verified.ok()) {
            c.state = CredentialState::invalid;
            c.reason = std::string(badge::describe(verified.error));
            return c;
        }
        c.participant_id = verified.claims->participant_id;
        c.badge_serial = verified.claims->serial;
        if (store::is_badge_revoked(db_, *c.participant_id, *c.badge_serial)) {
            c.state = CredentialState::revoked;
            return c;
        }
        // A device holds only its event's people (docs/security.md), so a genuine badge of
        // someone else at the hub names nobody here. The hub's signature is the proof of who
        // it is: such a scan is recorded like anyone not on the list (not_expected, counted
        // and flagged: an alternate date, DOMAIN.md), without a name to show.
        c.state = CredentialState::genuine;
        return c;
    }
    auto owner = store::card_owner(db_, input.nfc_uid);
    if (!owner) {
        c.state = CredentialState::unknown_person;
        c.reason = "This card is not registered to anyone";
        return c;
    }
    c.participant_id = owner;
    c.state = CredentialState::genuine;
    return c;
}

ScanResult CheckInDesk::scan(const ScanInput& input, TimeMs now) {
    return commit(identify(input), now, false, std::nullopt, "");
}

ScanResult CheckInDesk::manual_check_in(ParticipantId participant, const std::string& reason, const std::string& staff,
                                        TimeMs now) {
    if (reason.empty()) throw std::invalid_argument("a manual check-in needs a reason");
    if (staff.empty()) throw std::invalid_argument("a manual check-in needs the staff member's name");
    check_staff_text("reason", reason, limits::reason_chars);
    check_staff_text("staff", staff, limits::staff_chars);
    Credential c;
    c.method = Method::manual;
    c.participant_id = participant;
    c.state = store::find_participant(db_, participant) ? CredentialState::genuine : CredentialState::unknown_person;
    return commit(c, now, true, staff, reason);
}

ScanResult CheckInDesk::commit(const Credential& credential, TimeMs now, bool staff_override,
                               const std::optional<std::string>& staff, const std::string& manual_reason) {
    ScanResult result;
    RuleInput in;
    in.device = setup_;
    in.session = session_;
    in.now = now;
    in.credential = credential;
    in.staff_override = staff_override;

    // The read of earlier scans and the write happen in one IMMEDIATE transaction, so a
    // sync thread writing other devices' scans cannot slip in between.
    db::Transaction tx(db_);
    if (credential.state == CredentialState::genuine) {
        ParticipantId pid = *credential.participant_id;
        result.participant = store::find_participant(db_, pid);
        if (auto e = store::find_enrolment(db_, setup_.event_id, pid)) {
            in.at_event.enrolled = true;
            in.at_event.room_id = e->room_id;
            if (e->room_id) in.at_event.room_name = store::room_name(db_, *e->room_id);
        }
        // A facilitator is expected in the rooms they run (one may run several), whatever
        // their enrolment says, and at the event even if the hub did not enrol them.
        if (auto rooms = facilitated_rooms(db_, setup_.event_id, pid, setup_.room_id); !rooms.empty()) {
            bool runs_this_room = setup_.room_id && rooms.front().first == *setup_.room_id;
            if (!in.at_event.enrolled || runs_this_room) {
                in.at_event.enrolled = true;
                in.at_event.room_id = rooms.front().first;
                in.at_event.room_name = rooms.front().second;
            }
        }
        in.prior = store::prior_scans(db_, pid, setup_.event_id, setup_.session_id, setup_.room_id);
    }
    result.decision = decide(in);
    result.room_name = in.at_event.room_name;

    CheckIn& r = result.record;
    r.uuid = new_uuid(now);
    r.device_id = setup_.device_id;
    r.device_seq = store::next_device_seq(db_, setup_.device_id);
    r.participant_id = credential.state == CredentialState::invalid ? std::nullopt : credential.participant_id;
    r.event_id = setup_.event_id;
    r.session_id = setup_.session_id;
    r.room_id = setup_.room_id;
    r.direction = setup_.direction;
    r.method = credential.method;
    r.outcome = result.decision.outcome;
    r.reason = manual_reason.empty() ? result.decision.reason : manual_reason;
    r.badge_serial = credential.badge_serial;
    r.device_ms = now;
    r.device_offset_min = uk_time::offset_minutes(now);
    r.staff = staff;
    // Green only for a stored record: a clash throws, rolls back, and the kiosk answers
    // "not recorded".
    store::record_new_check_in(db_, r);
    tx.commit();
    return result;
}

std::optional<Correction> CheckInDesk::void_last_scan(const std::string& reason, const std::string& staff, TimeMs now) {
    if (reason.empty() || staff.empty()) throw std::invalid_argument("a void needs a reason and the staff member's name");
    check_staff_text("reason", reason, limits::reason_chars);
    check_staff_text("staff", staff, limits::staff_chars);
    db::Transaction tx(db_);
    auto last = store::last_counted_scan(db_, setup_.device_id);
    if (!last) return std::nullopt;
    Correction c;
    c.uuid = new_uuid(now);
    c.kind = CorrectionKind::void_scan;
    c.target_uuid = last->uuid;
    c.participant_id = last->participant_id;
    c.event_id = last->event_id;
    c.session_id = last->session_id;
    c.reason = reason;
    c.author = staff;
    c.device_id = setup_.device_id;
    c.created_ms = now;
    store::record_new_correction(db_, c);
    tx.commit();
    return c;
}

}  // namespace muster::checkin
