// What the staff screen and a room device's register read from the device's database:
// counts, the room's register and the outbox, each read again only when the database or
// the question changed. Reads only; scans are written by the desk.
#include "kiosk_model.hpp"

#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"

#include <sqlite3.h>

#include <map>

namespace muster::kiosk {

KioskModel::ReadKey KioskModel::read_key(std::string question) {
    auto& db = station_.database();
    auto& version = db.cached("PRAGMA data_version");
    version.step();
    ReadKey key{sqlite3_total_changes64(db.handle()), version.int64(0), station_.desk().setup().session_id,
                station_.desk().setup().direction, std::move(question)};
    version.reset();
    return key;
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
    auto here = db.prepare(
        "SELECT count(DISTINCT participant_id) FROM check_ins c WHERE event_id = ?1 AND session_id = ?2 AND room_id IS ?3 "
        "AND direction = 'entry' AND outcome IN ('checked_in','not_expected') "
        "AND NOT EXISTS (SELECT 1 FROM corrections v WHERE v.kind = 'void' AND v.target_uuid = c.uuid)");
    here.bind(1, setup.event_id).bind(2, setup.session_id).bind(3, setup.room_id);
    here.step();
    c.checked_in = static_cast<std::size_t>(here.int64(0));
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
    auto in = db.prepare(
        "SELECT participant_id, min(device_ms) FROM check_ins c WHERE event_id = ?1 AND session_id = ?2 AND room_id IS ?3 "
        "AND participant_id IS NOT NULL AND direction = 'entry' AND outcome IN ('checked_in','not_expected') "
        "AND NOT EXISTS (SELECT 1 FROM corrections v WHERE v.kind = 'void' AND v.target_uuid = c.uuid) GROUP BY participant_id");
    in.bind(1, setup.event_id).bind(2, setup.session_id).bind(3, setup.room_id);
    while (in.step()) {
        auto id = in.int64(0);
        auto it = rows.find(id);
        if (it == rows.end()) {
            auto p = store::find_participant(db, id);
            it = rows.emplace(id, RoomRegisterRow{p ? p->public_name() : "?", "", false}).first;
        }
        it->second.time = uk_time::format_hhmm(in.int64(1));
    }
    std::vector<RoomRegisterRow> out;
    for (auto& [id, row] : rows) out.push_back(std::move(row));
    return out;
}

std::vector<UnsyncedRow> KioskModel::read_unsynced(std::size_t limit) {
    auto& db = station_.database();
    auto q = db.prepare(
        "SELECT o.queued_ms, o.kind, o.uuid, o.attempts, coalesce(o.rejected_reason, o.last_error, ''), c.outcome, "
        "coalesce(c.participant_id, v.participant_id), v.kind FROM outbox o LEFT JOIN check_ins c ON c.uuid = o.uuid "
        "LEFT JOIN corrections v ON v.uuid = o.uuid ORDER BY o.queued_ms DESC, o.uuid LIMIT ?1");
    q.bind(1, static_cast<std::int64_t>(limit));
    std::vector<UnsyncedRow> out;
    while (q.step()) {
        UnsyncedRow row;
        row.time = uk_time::format_hhmm(q.int64(0));
        row.uuid = q.text(2);
        row.attempts = static_cast<int>(q.int64(3));
        row.problem = q.text(4);
        if (q.text(1) == "correction") row.what = "correction (" + q.text(7) + ")";
        else if (auto o = parse_outcome(q.text(5))) row.what = label_of(*o);
        if (!q.is_null(6))
            if (auto p = store::find_participant(db, q.int64(6))) row.who = p->public_name();
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace muster::kiosk
