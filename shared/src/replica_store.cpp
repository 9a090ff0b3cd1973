#include "muster/store/replica_store.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/device_privacy.hpp"
#include "muster/util/text.hpp"
#include "row_copy.hpp"

#include <sqlite3.h>

#include <set>

namespace muster::store {
namespace {

// A badge's SHA-256 token digest, hex on the wire, a blob on the device. Anything else is
// stored as NULL (that badge then cannot be checked in here) rather than failing the whole
// download, which would stop every later change from arriving.
std::optional<std::string> digest_blob(const std::optional<std::string>& hex) {
    if (!hex || hex->size() != 64) return std::nullopt;
    return text::from_hex(*hex);
}

void upsert_participant(db::Database& db, const Participant& p, const TrnKey* trn_key) {
    // On a device (a TRN key given) the TRN goes in as its keyed hash only, and the columns the
    // kiosk never reads (school, programme, cohort, year) stay empty (docs/privacy.md).
    const bool device = trn_key != nullptr;
    // A TRN moved to another person (a corrected roster) must not block the update.
    if (p.trn && !device) {
        auto& clear = db.cached("UPDATE participants SET trn = NULL WHERE trn = ?1 AND id <> ?2");
        clear.bind(1, *p.trn).bind(2, p.id);
        clear.run();
    }
    auto& s = db.cached(
        "INSERT INTO participants (id, trn, email, first_name, last_name, preferred_name, school_name, school_urn, role, "
        "programme, cohort, programme_year, part_time) VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
        "ON CONFLICT (id) DO UPDATE SET trn = excluded.trn, first_name = excluded.first_name, "
        "last_name = excluded.last_name, preferred_name = excluded.preferred_name, school_name = excluded.school_name, "
        "school_urn = excluded.school_urn, role = excluded.role, programme = excluded.programme, "
        "cohort = excluded.cohort, programme_year = excluded.programme_year, part_time = excluded.part_time");
    s.bind(1, p.id).bind(3, p.first_name).bind(4, p.last_name).bind(5, p.preferred_name);
    s.bind(8, to_string(p.role)).bind(12, p.part_time ? 1 : 0);
    if (device) {
        for (int i : {2, 6, 7, 9, 10, 11}) s.bind(i, nullptr);
    } else {
        s.bind(2, p.trn).bind(6, p.school_name).bind(7, p.school_urn).bind(9, p.programme);
        s.bind(10, p.cohort).bind(11, p.programme_year);
    }
    s.run();
    if (device) set_trn_hash(db, *trn_key, p.id, p.trn);
}

// Runs one upsert per row, the statement looked up once per table.
template <class Rows, class Bind>
void upsert_all(db::Database& db, const Rows& rows, std::string_view sql, Bind bind) {
    if (rows.empty()) return;
    auto& s = db.cached(sql);
    for (const auto& row : rows) {
        bind(s, row);
        s.run();
    }
}

bool exists(db::Database& db, std::string_view sql, std::int64_t id) {
    auto& s = db.cached(sql);
    s.bind(1, id);
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

// A device holds only its event's people (docs/security.md). Someone no longer enrolled
// there and facilitating none of its rooms loses their badges and cards here, and their
// participant row too unless a record on this device names them: then the row stays, so
// the record still reads as a name (the hub sends it no further changes).
void forget_if_unneeded(db::Database& db, ParticipantId who) {
    if (exists(db, "SELECT 1 FROM enrolments WHERE participant_id = ?1 LIMIT 1", who) ||
        exists(db, "SELECT 1 FROM room_facilitators WHERE participant_id = ?1 LIMIT 1", who))
        return;
    for (std::string_view sql : {"DELETE FROM badges WHERE participant_id = ?1", "DELETE FROM nfc_cards WHERE participant_id = ?1"}) {
        auto& s = db.cached(sql);
        s.bind(1, who);
        s.run();
    }
    if (exists(db, "SELECT 1 FROM check_ins WHERE participant_id = ?1 LIMIT 1", who) ||
        exists(db, "SELECT 1 FROM corrections WHERE participant_id = ?1 LIMIT 1", who))
        return;
    auto& s = db.cached("DELETE FROM participants WHERE id = ?1");
    s.bind(1, who);
    s.run();
}

// Replaces a room's facilitators with the hub's whole list; returns who was on the old one.
std::vector<ParticipantId> replace_facilitators(db::Database& db, const sync::RoomFacilitators& room) {
    auto& old = db.cached("SELECT participant_id FROM room_facilitators WHERE room_id = ?1");
    old.bind(1, room.room_id);
    auto before = old.query_all([](const db::Statement& r) { return r.int64(0); });
    auto& clear = db.cached("DELETE FROM room_facilitators WHERE room_id = ?1");
    clear.bind(1, room.room_id);
    clear.run();
    // A row naming a room or person this device lacks is skipped, not a failed download
    // (which would stop every later change from arriving); the hub sends both with the list.
    auto& add = db.cached(
        "INSERT OR REPLACE INTO room_facilitators (room_id, participant_id, lead) SELECT ?1, ?2, ?3 "
        "WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?1) AND EXISTS (SELECT 1 FROM participants WHERE id = ?2)");
    for (const auto& f : room.facilitators) {
        add.bind_all(room.room_id, f.participant_id, f.lead ? 1 : 0);
        add.run();
    }
    return before;
}

// The device's columns of `table`, in order (a device database is always SQLite).
std::vector<std::string> device_columns(db::Database& device, const std::string& table) {
    auto columns = device.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
                       .bind(1, table)
                       .query_all([](const db::Statement& r) { return r.text(0); });
    if (columns.empty()) throw db::Error(SQLITE_ERROR, "the device database has no table " + table);
    return columns;
}

std::string select_sql(const std::vector<std::string>& columns, const std::string& table) {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + quoted_name(columns[i]);
    return sql + " FROM " + quoted_name(table);
}

}  // namespace

void copy_hub_to_device(db::Database& device, db::Database& hub, EventId event, const TrnKey& trn_key) {
    // One snapshot of the hub (a server writing meanwhile cannot tear the copy) and one
    // transaction on the device. The hub is read with SQL both engines accept, so a hub on
    // PostgreSQL provisions devices as one on SQLite does.
    db::Transaction reading(hub, db::Transaction::Kind::deferred);
    db::Transaction tx(device);
    // Every column the device's table has, read by name from the hub's twin: the schemas
    // match (the same migrations; tests/pg compares PostgreSQL's column by column).
    auto copy = [&](const std::string& table, const std::string& where) {
        auto columns = device_columns(device, table);
        auto select = hub.prepare(select_sql(columns, table) + where);
        if (!where.empty()) select.bind(1, event);
        copy_rows(select, device, table, columns);
    };
    copy("hub", "");
    auto clock = hub.prepare("SELECT value FROM change_clock").query_one([](const db::Statement& r) { return r.int64(0); });
    if (!clock) throw db::Error(SQLITE_ERROR, "the hub's database has no change clock");
    device.prepare("UPDATE change_clock SET value = ?1").bind(1, *clock).run();

    // Only the event's people: those enrolled and its rooms' facilitators (the same scope
    // as the hub's changes, docs/security.md). A device left in a venue holds no one else.
    const std::string in_scope =
        " IN (SELECT participant_id FROM enrolments WHERE event_id = ?1 UNION "
        "SELECT f.participant_id FROM room_facilitators f JOIN rooms r ON r.id = f.room_id WHERE r.event_id = ?1)";
    // What the kiosk shows and searches (docs/privacy.md): names and role. Emails, TRNs,
    // schools, programmes, cohorts, lead providers and delivery partners stay on the hub
    // (read as NULL); the TRN arrives only as its keyed hash, below.
    const std::vector<std::string> person{"id",          "trn",           "email",          "first_name", "last_name",
                                          "preferred_name", "school_name", "school_urn",     "role",       "programme",
                                          "cohort",      "programme_year", "part_time",      "lead_provider",
                                          "delivery_partner", "changed_at"};
    auto people = hub.prepare(
        "SELECT id, NULL, NULL, first_name, last_name, preferred_name, NULL, NULL, role, NULL, NULL, "
        "NULL, part_time, NULL, NULL, changed_at FROM participants WHERE id" + in_scope);
    people.bind(1, event);
    copy_rows(people, device, "participants", person);
    prepare_trn_hashes(device);
    hub.prepare("SELECT id, trn FROM participants WHERE trn IS NOT NULL AND id" + in_scope)
        .bind(1, event)
        .for_each_row([&](const db::Statement& r) { set_trn_hash(device, trn_key, r.int64(0), r.text(1)); });

    copy("events", " WHERE id = ?1");
    copy("sessions", " WHERE event_id = ?1");
    copy("rooms", " WHERE event_id = ?1");
    copy("room_facilitators", " WHERE room_id IN (SELECT id FROM rooms WHERE event_id = ?1)");
    copy("enrolments", " WHERE event_id = ?1");
    copy("check_ins", " WHERE event_id = ?1");
    copy("corrections", " WHERE event_id = ?1");
    copy("badges", " WHERE participant_id" + in_scope);
    copy("nfc_cards", " WHERE participant_id" + in_scope);
    // The device has everything up to the hub's clock now: its first sync asks from here.
    device.prepare("INSERT INTO settings (key, value) VALUES ('sync.cursor', ?1)").bind(1, *clock).run();
    tx.commit();
    reading.commit();
}

void apply_changes(db::Database& db, const sync::Changes& c, const TrnKey* trn_key) {
    if (trn_key) prepare_trn_hashes(db);
    for (const auto& p : c.participants) upsert_participant(db, p, trn_key);
    upsert_all(db, c.events,
               "INSERT INTO events (id, programme, item, cohort, kind, title, venue, local_date, late_after_min) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET programme = excluded.programme, "
               "item = excluded.item, cohort = excluded.cohort, kind = excluded.kind, title = excluded.title, "
               "venue = excluded.venue, local_date = excluded.local_date, late_after_min = excluded.late_after_min",
               [](db::Statement& s, const Event& e) {
                   s.bind_all(e.id, e.programme, e.item, e.cohort, std::string(to_string(e.kind)), e.title, e.venue,
                              e.local_date, e.late_after_min);
               });
    upsert_all(db, c.sessions,
               "INSERT INTO sessions (id, event_id, name, starts_ms, ends_ms, opens_before_min, closes_after_min) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
               "starts_ms = excluded.starts_ms, ends_ms = excluded.ends_ms, opens_before_min = excluded.opens_before_min, "
               "closes_after_min = excluded.closes_after_min",
               [](db::Statement& s, const Session& x) {
                   s.bind_all(x.id, x.event_id, x.name, x.starts_ms, x.ends_ms, x.opens_before_min, x.closes_after_min);
               });
    upsert_all(db, c.rooms,
               "INSERT INTO rooms (id, event_id, name) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
               [](db::Statement& s, const Room& r) { s.bind_all(r.id, r.event_id, r.name); });
    upsert_all(db, c.enrolments,
               "INSERT INTO enrolments (event_id, participant_id, room_id) VALUES (?1, ?2, ?3) "
               "ON CONFLICT (event_id, participant_id) DO UPDATE SET room_id = excluded.room_id",
               [](db::Statement& s, const Enrolment& e) { s.bind(1, e.event_id).bind(2, e.participant_id).bind(3, e.room_id); });
    upsert_all(db, c.badges,
               "INSERT INTO badges (participant_id, serial, issued_ms, revoked_ms, revoke_reason, token_digest) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (participant_id, serial) DO UPDATE SET "
               "issued_ms = excluded.issued_ms, revoked_ms = excluded.revoked_ms, revoke_reason = excluded.revoke_reason, "
               "token_digest = excluded.token_digest",
               [](db::Statement& s, const sync::BadgeRow& b) {
                   s.bind(1, b.participant_id).bind(2, b.serial).bind(3, b.issued_ms).bind(4, b.revoked_ms);
                   s.bind(5, b.revoke_reason);
                   if (auto d = digest_blob(b.token_digest)) s.bind_blob(6, d->data(), d->size());
                   else s.bind(6, nullptr);
               });
    upsert_all(db, c.nfc_cards,
               "INSERT INTO nfc_cards (uid, participant_id, attached_ms, detached_ms) VALUES (?1, ?2, ?3, ?4) "
               "ON CONFLICT (uid) DO UPDATE SET participant_id = excluded.participant_id, "
               "attached_ms = excluded.attached_ms, detached_ms = excluded.detached_ms",
               [](db::Statement& s, const sync::NfcCardRow& n) {
                   s.bind(1, n.uid).bind(2, n.participant_id).bind(3, n.attached_ms).bind(4, n.detached_ms);
               });
    for (const auto& x : c.check_ins) insert_check_in(db, x, false);
    for (const auto& x : c.corrections) insert_correction(db, x, false);

    // What the hub took away: enrolments, and people dropped from a room's list. Whether
    // each such person is still needed is judged once everything above is in.
    std::set<ParticipantId> maybe_gone;
    for (const auto& room : c.room_facilitators)
        for (auto who : replace_facilitators(db, room)) maybe_gone.insert(who);
    auto& unenrol = db.cached("DELETE FROM enrolments WHERE event_id = ?1 AND participant_id = ?2");
    for (const auto& r : c.enrolment_removals) {
        unenrol.bind(1, r.event_id).bind(2, r.participant_id);
        unenrol.run();
        maybe_gone.insert(r.participant_id);
    }
    for (auto who : maybe_gone) forget_if_unneeded(db, who);
}

}  // namespace muster::store
