#include "muster/store/hub_sync_store.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/util/text.hpp"

#include <algorithm>

namespace muster::store {
namespace {

// One page of records, at most `page`, each row's column `seq_column` its sync_seq. A full
// page means more are waiting: `more` is set and the cursor stops before the last seq.
template <class Read>
auto read_page(db::Statement& s, std::int64_t page, int seq_column, Read read, sync::Changes& out) {
    std::int64_t last_seq = 0;
    auto rows = s.query_all([&](const db::Statement& r) {
        last_seq = r.int64(seq_column);
        return read(r);
    });
    if (static_cast<std::int64_t>(rows.size()) == page) {
        out.more = true;
        out.cursor = std::min(out.cursor, last_seq - 1);
    }
    return rows;
}

}  // namespace

bool remember_nonce(db::Database& db, const std::string& device_id, const std::string& nonce, TimeMs now) {
    auto& s = db.cached("INSERT OR IGNORE INTO request_nonces (device_id, nonce, seen_ms) VALUES (?1, ?2, ?3)");
    s.bind(1, device_id).bind(2, nonce).bind(3, now);
    s.run();
    return db.changes() == 1;
}

void forget_nonces(db::Database& db, TimeMs before_ms) {
    auto& s = db.cached("DELETE FROM request_nonces WHERE seen_ms < ?1");
    s.bind(1, before_ms);
    s.run();
}

UploadWriter::UploadWriter(db::Database& db, TimeMs received_ms, std::optional<std::int64_t> clock_skew_ms,
                           std::int64_t sync_seq)
    : db_(db),
      check_ins_(db.cached("INSERT INTO check_ins (" + std::string(check_in_columns) +
                           ", received_ms, clock_skew_ms, sync_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                           "?12, ?13, ?14, ?15, ?16, ?17, ?18) ON CONFLICT (uuid) DO NOTHING")),
      corrections_(db.cached(
          "INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, session_id, status, reason, author, "
          "device_id, created_ms, sync_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
          "ON CONFLICT (uuid) DO NOTHING")),
      received_ms_(received_ms),
      clock_skew_ms_(clock_skew_ms),
      sync_seq_(sync_seq) {}

UploadWriter::Result UploadWriter::check_in(const CheckIn& c) {
    auto& s = check_ins_;
    s.bind(1, c.uuid).bind(2, c.device_id).bind(3, c.device_seq).bind(4, c.participant_id).bind(5, c.event_id);
    s.bind(6, c.session_id).bind(7, c.room_id).bind(8, to_string(c.direction)).bind(9, to_string(c.method));
    s.bind(10, to_string(c.outcome)).bind(11, c.reason).bind(12, c.badge_serial).bind(13, c.device_ms);
    s.bind(14, c.device_offset_min).bind(15, c.staff).bind(16, received_ms_).bind(17, clock_skew_ms_).bind(18, sync_seq_);
    try {
        s.run();  // ON CONFLICT (uuid) DO NOTHING: a uuid already stored writes nothing
        return db_.changes() == 1 ? Result::stored : Result::uuid_taken;
    } catch (const db::Error& e) {
        s.reset();
        if (!e.is_unique_violation()) throw;
        // Same device and sequence number as a different record: the device's database was
        // replaced or copied. The first record is kept.
        return Result::sequence_taken;
    }
}

UploadWriter::Result UploadWriter::correction(const Correction& c, const std::string& device_id) {
    std::optional<std::string_view> status;
    if (c.status) status = to_string(*c.status);
    auto& s = corrections_;
    s.bind(1, c.uuid).bind(2, c.kind == CorrectionKind::void_scan ? "void" : "mark").bind(3, c.target_uuid);
    s.bind(4, c.participant_id).bind(5, c.event_id).bind(6, c.session_id).bind(7, status).bind(8, c.reason);
    s.bind(9, c.author).bind(10, device_id).bind(11, c.created_ms).bind(12, sync_seq_);
    s.run();
    return db_.changes() == 1 ? Result::stored : Result::uuid_taken;
}

sync::Changes read_changes(db::Database& db, const std::string& device_id, EventId event, std::int64_t since,
                           std::size_t page_size) {
    sync::Changes out;
    // A read transaction: every table below is read at one snapshot. It writes nothing, so
    // letting it roll back at the end is the same as committing it.
    db::Transaction snapshot(db, db::Transaction::Kind::deferred);
    out.cursor = current_change(db);
    // A cursor ahead of the hub's clock means the hub database was restored from an older
    // copy (or the device came from another hub): what it holds cannot be trusted to be
    // complete, so it gets everything again. Rows are upserts: nothing is doubled.
    if (since > out.cursor) since = 0;

    auto& participants =
        db.cached("SELECT " + std::string(participant_columns) + " FROM participants WHERE changed_at > ?1 ORDER BY id");
    out.participants = participants.bind(1, since).query_all([](const db::Statement& r) {
        auto p = read_participant(r);
        p.email.reset();  // devices never hold emails
        p.lead_provider.reset();
        p.delivery_partner.reset();
        return p;
    });
    auto& events = db.cached("SELECT " + std::string(event_columns) + " FROM events WHERE id = ?1 AND changed_at > ?2");
    out.events = events.bind(1, event).bind(2, since).query_all(read_event);
    auto& sessions = db.cached("SELECT " + std::string(session_columns) +
                               " FROM sessions WHERE event_id = ?1 AND changed_at > ?2 ORDER BY starts_ms");
    out.sessions = sessions.bind(1, event).bind(2, since).query_all(read_session);
    auto& rooms = db.cached("SELECT " + std::string(room_columns) + " FROM rooms WHERE event_id = ?1 AND changed_at > ?2");
    out.rooms = rooms.bind(1, event).bind(2, since).query_all(read_room);
    auto& enrolments =
        db.cached("SELECT event_id, participant_id, room_id FROM enrolments WHERE event_id = ?1 AND changed_at > ?2");
    out.enrolments = enrolments.bind(1, event).bind(2, since).query_all([](const db::Statement& r) {
        return Enrolment{r.int64(0), r.int64(1), r.opt_int64(2)};
    });
    auto& badges = db.cached(
        "SELECT participant_id, serial, issued_ms, revoked_ms, revoke_reason, token_digest FROM badges WHERE changed_at > ?1");
    out.badges = badges.bind(1, since).query_all([](const db::Statement& r) {
        sync::BadgeRow b{r.int64(0), r.int64(1), r.int64(2), r.opt_int64(3), r.opt_text(4), {}};
        if (!r.is_null(5)) {
            auto digest = r.blob(5);
            b.token_digest = text::hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
        }
        return b;
    });
    auto& cards = db.cached("SELECT uid, participant_id, attached_ms, detached_ms FROM nfc_cards WHERE changed_at > ?1");
    out.nfc_cards = cards.bind(1, since).query_all([](const db::Statement& r) {
        return sync::NfcCardRow{r.text(0), r.int64(1), r.int64(2), r.opt_int64(3)};
    });

    // Other devices' records, in arrival order, a page at a time. One upload shares one
    // sync_seq and holds at most max_batch_records rows, fewer than a page, so "last seq
    // minus one" always moves the cursor forward and re-sends only the last upload's rows.
    auto page = static_cast<std::int64_t>(page_size);
    auto& check_ins = db.cached("SELECT " + std::string(check_in_columns) +
                                ", sync_seq FROM check_ins WHERE event_id = ?1 AND sync_seq > ?2 AND device_id <> ?3 "
                                "ORDER BY sync_seq LIMIT ?4");
    check_ins.bind(1, event).bind(2, since).bind(3, device_id).bind(4, page);
    out.check_ins = read_page(check_ins, page, 15, read_check_in, out);  // sync_seq follows the 15 record columns
    auto& corrections = db.cached("SELECT " + std::string(correction_columns) +
                                  ", sync_seq FROM corrections WHERE event_id = ?1 AND sync_seq > ?2 AND "
                                  "(device_id IS NULL OR device_id <> ?3) ORDER BY sync_seq LIMIT ?4");
    corrections.bind(1, event).bind(2, since).bind(3, device_id).bind(4, page);
    out.corrections = read_page(corrections, page, 11, read_correction, out);  // and the 11 here
    return out;
}

}  // namespace muster::store
