#include "muster/store/check_in_store.hpp"

#include "store_sql.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <utility>

namespace muster::store {

CheckIn read_check_in(const db::Statement& s) {
    CheckIn c;
    c.uuid = s.text(0);
    c.device_id = s.text(1);
    c.device_seq = s.int64(2);
    c.participant_id = s.opt_int64(3);
    c.event_id = s.int64(4);
    c.session_id = s.opt_int64(5);
    c.room_id = s.opt_int64(6);
    c.direction = parse_direction(s.text(7)).value_or(Direction::entry);
    c.method = parse_method(s.text(8)).value_or(Method::qr);
    c.outcome = parse_outcome(s.text(9)).value_or(Outcome::invalid_badge);
    c.reason = s.text(10);
    c.badge_serial = s.opt_int64(11);
    c.device_ms = s.int64(12);
    c.device_offset_min = s.int32(13);
    c.staff = s.opt_text(14);
    return c;
}

Correction read_correction(const db::Statement& s) {
    Correction c;
    c.uuid = s.text(0);
    c.kind = s.text(1) == "void" ? CorrectionKind::void_scan : CorrectionKind::mark;
    c.target_uuid = s.opt_text(2);
    c.participant_id = s.opt_int64(3);
    c.event_id = s.int64(4);
    c.session_id = s.opt_int64(5);
    if (auto st = s.opt_text(6)) c.status = parse_attendance_status(*st);
    c.reason = s.text(7);
    c.author = s.text(8);
    c.device_id = s.opt_text(9);
    c.created_ms = s.int64(10);
    return c;
}

const std::string& counted_not_voided_sql() {
    // Built once from the rule itself, so the SQL can never count an outcome the rules do not.
    static const std::string sql = [] {
        std::string in;
        for (Outcome o : all_outcomes())
            if (counts_as_attendance(o)) in += (in.empty() ? "'" : ", '") + std::string(to_string(o)) + "'";
        return "c.outcome IN (" + in +
               ") AND NOT EXISTS (SELECT 1 FROM corrections v WHERE v.kind = 'void' AND v.target_uuid = c.uuid)";
    }();
    return sql;
}

std::int64_t next_device_seq(db::Database& db, const std::string& device_id) {
    // The floor is what the hub already holds from this device id when the database was
    // provisioned (a moved or re-added device): its new records must not reuse those numbers.
    // Two numbers, the larger taken here: scalar max() is SQLite's alone.
    auto& s = db.cached("SELECT COALESCE((SELECT MAX(device_seq) FROM check_ins WHERE device_id = ?1), 0), "
                        "COALESCE((SELECT CAST(value AS BIGINT) FROM settings WHERE key = ?2), 0)");
    s.bind(2, std::string(device_seq_floor_key));
    s.bind(1, device_id);
    return s.query_one([](const db::Statement& r) { return std::max(r.int64(0), r.int64(1)); }).value() + 1;
}

bool insert_check_in(db::Database& db, const CheckIn& c, bool queue) {
    auto& s = db.cached("INSERT INTO check_ins (" + std::string(check_in_columns) +
                        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) ON CONFLICT DO NOTHING");
    s.bind(1, c.uuid).bind(2, c.device_id).bind(3, c.device_seq).bind(4, c.participant_id).bind(5, c.event_id);
    s.bind(6, c.session_id).bind(7, c.room_id).bind(8, to_string(c.direction)).bind(9, to_string(c.method));
    s.bind(10, to_string(c.outcome)).bind(11, c.reason).bind(12, c.badge_serial).bind(13, c.device_ms);
    s.bind(14, c.device_offset_min).bind(15, c.staff);
    s.run();
    if (db.changes() == 0) return false;
    if (queue) {
        auto& q = db.cached("INSERT INTO outbox (uuid, kind, queued_ms) VALUES (?1, 'check_in', ?2)");
        q.bind(1, c.uuid).bind(2, c.device_ms);
        q.run();
    }
    return true;
}

void record_new_check_in(db::Database& db, const CheckIn& c) {
    if (!insert_check_in(db, c, true))
        throw db::Error(SQLITE_CONSTRAINT_UNIQUE, "the check-in clashed with a stored one (device sequence " +
                                                      std::to_string(c.device_seq) + "): not recorded");
}

void record_new_correction(db::Database& db, const Correction& c) {
    if (!insert_correction(db, c, true))
        throw db::Error(SQLITE_CONSTRAINT_UNIQUE, "the void clashed with a stored correction: not recorded");
}

bool insert_correction(db::Database& db, const Correction& c, bool queue) {
    auto& s = db.cached(
        "INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, session_id, status, "
        "reason, author, device_id, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING");
    std::optional<std::string> status;
    if (c.status) status = std::string(to_string(*c.status));
    s.bind(1, c.uuid).bind(2, c.kind == CorrectionKind::void_scan ? "void" : "mark").bind(3, c.target_uuid);
    s.bind(4, c.participant_id).bind(5, c.event_id).bind(6, c.session_id).bind(7, status).bind(8, c.reason);
    s.bind(9, c.author).bind(10, c.device_id).bind(11, c.created_ms);
    s.run();
    if (db.changes() == 0) return false;
    if (queue) {
        auto& q = db.cached("INSERT INTO outbox (uuid, kind, queued_ms) VALUES (?1, 'correction', ?2)");
        q.bind(1, c.uuid).bind(2, c.created_ms);
        q.run();
    }
    return true;
}

checkin::PriorScans prior_scans(db::Database& db, ParticipantId participant, EventId event, SessionId session,
                                std::optional<RoomId> room) {
    auto& s = db.cached(
        "SELECT direction, device_ms FROM check_ins c WHERE participant_id = ?1 AND event_id = ?2 AND session_id = ?3 "
        "AND room_id IS NOT DISTINCT FROM ?4 AND " + counted_not_voided_sql() + " ORDER BY device_ms, device_seq");
    s.bind(1, participant).bind(2, event).bind(3, session).bind(4, room);
    std::vector<std::pair<TimeMs, Direction>> seen;
    s.for_each_row([&](const db::Statement& r) {
        seen.emplace_back(r.int64(1), parse_direction(r.text(0)).value_or(Direction::entry));
    });
    // Marks from a facilitator's tablet (docs/register.md, "Marks from the tablet"), not
    // undone, count like scans at every place of the session: someone marked present (or
    // late) by hand is "already checked in" here too, and a left-early mark reads as their
    // exit. Only marks of this session: hub staff's marks (reconciliation) name no session,
    // and a mark saying someone was absent, excused, caught up or elsewhere is no entry.
    auto& m = db.cached(
        "SELECT status, created_ms FROM corrections m WHERE participant_id = ?1 AND event_id = ?2 AND session_id = ?3 "
        "AND kind = 'mark' AND status IN ('present', 'late', 'left_early') AND NOT EXISTS (SELECT 1 FROM corrections v "
        "WHERE v.kind = 'void' AND v.target_uuid = m.uuid)");
    m.bind(1, participant).bind(2, event).bind(3, session);
    m.for_each_row([&](const db::Statement& r) {
        seen.emplace_back(r.int64(1), r.text(0) == "left_early" ? Direction::exit : Direction::entry);
    });
    std::stable_sort(seen.begin(), seen.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    checkin::PriorScans prior;
    for (const auto& [at, d] : seen) {
        if (d == Direction::entry && !prior.first_entry_ms) prior.first_entry_ms = at;
        prior.last_direction = d;
    }
    return prior;
}

std::optional<CheckIn> find_check_in(db::Database& db, const std::string& uuid) {
    auto& s = db.cached("SELECT " + std::string(check_in_columns) + " FROM check_ins WHERE uuid = ?1");
    s.bind(1, uuid);
    return s.query_one(read_check_in);
}

std::vector<CheckIn> check_ins_for_event(db::Database& db, EventId event) {
    auto& s = db.cached("SELECT " + std::string(check_in_columns) +
                        " FROM check_ins WHERE event_id = ?1 ORDER BY device_ms, device_id, device_seq");
    s.bind(1, event);
    return s.query_all(read_check_in);
}

std::vector<Correction> corrections_for_event(db::Database& db, EventId event) {
    auto& s = db.cached("SELECT " + std::string(correction_columns) +
                        " FROM corrections WHERE event_id = ?1 ORDER BY created_ms, uuid");
    s.bind(1, event);
    return s.query_all(read_correction);
}

std::optional<Correction> find_correction(db::Database& db, const std::string& uuid) {
    auto& s = db.cached("SELECT " + std::string(correction_columns) + " FROM corrections WHERE uuid = ?1");
    s.bind(1, uuid);
    return s.query_one(read_correction);
}

std::optional<CheckIn> last_counted_scan(db::Database& db, const std::string& device_id) {
    auto& s = db.cached("SELECT " + std::string(check_in_columns) + " FROM check_ins c WHERE device_id = ?1 AND " +
                        counted_not_voided_sql() + " ORDER BY device_seq DESC LIMIT 1");
    s.bind(1, device_id);
    return s.query_one(read_check_in);
}

bool is_voided(db::Database& db, const std::string& uuid) {
    auto& s = db.cached("SELECT 1 FROM corrections WHERE kind = 'void' AND target_uuid = ?1");
    s.bind(1, uuid);
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

std::size_t count_present(db::Database& db, EventId event, SessionId session, std::optional<RoomId> room) {
    auto& s = db.cached("SELECT count(DISTINCT participant_id) FROM check_ins c WHERE event_id = ?1 AND session_id = ?2 "
                        "AND room_id IS NOT DISTINCT FROM ?3 AND direction = 'entry' AND " + counted_not_voided_sql());
    s.bind(1, event).bind(2, session).bind(3, room);
    return static_cast<std::size_t>(s.query_one([](const db::Statement& r) { return r.int64(0); }).value());
}

std::vector<FirstEntry> first_entries(db::Database& db, EventId event, SessionId session, std::optional<RoomId> room) {
    auto& s = db.cached("SELECT participant_id, min(device_ms) FROM check_ins c WHERE event_id = ?1 AND session_id = ?2 "
                        "AND room_id IS NOT DISTINCT FROM ?3 AND participant_id IS NOT NULL AND direction = 'entry' AND " +
                        counted_not_voided_sql() + " GROUP BY participant_id");
    s.bind(1, event).bind(2, session).bind(3, room);
    return s.query_all([](const db::Statement& r) { return FirstEntry{r.int64(0), r.int64(1)}; });
}

std::vector<FirstEntry> first_wrong_room_entries(db::Database& db, EventId event, SessionId session, RoomId room) {
    auto& s = db.cached(
        "SELECT participant_id, min(device_ms) FROM check_ins c WHERE event_id = ?1 AND session_id = ?2 AND room_id = ?3 "
        "AND participant_id IS NOT NULL AND direction = 'entry' AND outcome = '" +
        std::string(to_string(Outcome::wrong_room)) +
        "' AND NOT EXISTS (SELECT 1 FROM corrections v WHERE v.kind = 'void' AND v.target_uuid = c.uuid) "
        "GROUP BY participant_id");
    s.bind(1, event).bind(2, session).bind(3, room);
    return s.query_all([](const db::Statement& r) { return FirstEntry{r.int64(0), r.int64(1)}; });
}

}  // namespace muster::store
