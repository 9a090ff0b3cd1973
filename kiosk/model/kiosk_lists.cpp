// What the staff screen and a room device's register read from the device's database:
// counts, the room's register and the outbox, each read again only when the database or
// the question changed. Reads only; scans are written by the desk.
#include "kiosk_model.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/outbox_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"

#include <map>

namespace muster::kiosk {

KioskModel::ReadKey KioskModel::read_key(std::string question) {
    auto& db = station_.database();
    return ReadKey{db.total_changes(), db.data_version(), station_.desk().setup().session_id,
                   station_.desk().setup().direction, std::move(question)};
}

const KioskModel::Counts& KioskModel::counts() {
    return cached(counts_, "", [&] { return read_counts(); });
}

const std::vector<RoomRegisterRow>& KioskModel::room_register() {
    return cached(register_, "", [&] { return read_room_register(); });
}

const std::vector<UnsyncedRow>& KioskModel::unsynced(std::size_t limit) {
    return cached(unsynced_, std::to_string(limit), [&] { return read_unsynced(limit); });
}

KioskModel::Counts KioskModel::read_counts() {
    auto& db = station_.database();
    const auto& setup = station_.desk().setup();
    Counts c;
    c.checked_in = store::count_present(db, setup.event_id, setup.session_id, setup.room_id);
    for (const auto& e : store::enrolments(db, setup.event_id))
        if (!setup.room_id || e.room_id == setup.room_id) ++c.expected;
    auto outbox = store::outbox_counts(db);
    c.unsynced = outbox.pending;
    c.rejected = outbox.rejected;
    return c;
}

std::vector<RoomRegisterRow> KioskModel::read_room_register() {
    auto& db = station_.database();
    const auto& setup = station_.desk().setup();
    std::map<ParticipantId, RoomRegisterRow> rows;
    for (const auto& e : store::enrolments(db, setup.event_id))
        if (setup.room_id && e.room_id == setup.room_id)
            if (auto p = store::find_participant(db, e.participant_id)) rows[p->id] = {p->public_name(), "", true};
    for (const auto& entry : store::first_entries(db, setup.event_id, setup.session_id, setup.room_id)) {
        auto it = rows.find(entry.participant_id);
        if (it == rows.end()) {
            auto p = store::find_participant(db, entry.participant_id);
            // A genuine badge of someone the device does not hold (not this event's): no name here.
            it = rows.emplace(entry.participant_id, RoomRegisterRow{p ? p->public_name() : unlisted_visitor, "", false}).first;
        }
        it->second.time = uk_time::format_hhmm(entry.first_ms);
    }
    std::vector<RoomRegisterRow> out;
    for (auto& [id, row] : rows) out.push_back(std::move(row));
    return out;
}

std::vector<UnsyncedRow> KioskModel::read_unsynced(std::size_t limit) {
    auto& db = station_.database();
    std::vector<UnsyncedRow> out;
    for (auto& entry : store::outbox_entries(db, limit)) {
        UnsyncedRow row;
        row.time = uk_time::format_hhmm(entry.queued_ms);
        row.uuid = std::move(entry.uuid);
        row.attempts = entry.attempts;
        row.problem = std::move(entry.problem);
        if (entry.kind == store::OutboxKind::correction) row.what = "correction (" + entry.correction_kind + ")";
        else if (entry.outcome) row.what = label_of(*entry.outcome);
        if (entry.participant_id)
            if (auto p = store::find_participant(db, *entry.participant_id)) row.who = p->public_name();
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace muster::kiosk
