#include "muster/store/hub_sync_store.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/util/text.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace muster::store {
namespace {

// Who a device at event ?1 needs: those enrolled there and the facilitators of its rooms,
// each with the change that linked them to the event (the enrolment's, or the room's). A
// link made after a device's cursor brings the person's older rows (participant, badges,
// cards) with it; `needed.linked_at > ?2` is that test.
constexpr std::string_view needed_participants =
    "WITH needed (pid, linked_at) AS (SELECT participant_id, MAX(linked) FROM ("
    "SELECT participant_id, changed_at AS linked FROM enrolments WHERE event_id = ?1 "
    "UNION ALL SELECT f.participant_id, r.changed_at FROM room_facilitators f JOIN rooms r ON r.id = f.room_id "
    "WHERE r.event_id = ?1) AS links GROUP BY participant_id) ";

// About how many bytes a record takes in the JSON reply: its free text as it is plus a
// fixed allowance for the field names, numbers and short codes (a plain scan is ~300 bytes).
constexpr std::size_t record_overhead_bytes = 256;

// The parameters of one uploaded check-in row: its columns and the arrival stamps.
constexpr int check_in_params = 19;
std::size_t approx_bytes(const CheckIn& c) {
    return record_overhead_bytes + c.uuid.size() + c.device_id.size() + c.reason.size() + (c.staff ? c.staff->size() : 0);
}
std::size_t approx_bytes(const Correction& c) {
    return record_overhead_bytes + c.uuid.size() + (c.target_uuid ? c.target_uuid->size() : 0) + c.reason.size() +
           c.author.size() + (c.device_id ? c.device_id->size() : 0);
}

// Two statements stepped side by side: both are reset however the reading ends, so neither
// keeps its read snapshot open (see db::Statement).
struct ResetBoth {
    db::Statement& a;
    db::Statement& b;
    ~ResetBoth() {
        a.reset();
        b.reset();
    }
};

}  // namespace

bool remember_nonce(db::Database& db, const std::string& device_id, const std::string& nonce, TimeMs now) {
    // ON CONFLICT DO NOTHING rather than catching the unique violation: on PostgreSQL a failed
    // statement aborts the upload's transaction this may run in. Two processes inserting the
    // same nonce at once: PostgreSQL makes the second wait on the first's uncommitted row and
    // then write nothing (or write it, if the first rolled back), so exactly one is told true.
    auto& s = db.cached(
        "INSERT INTO request_nonces (device_id, nonce, seen_ms) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    s.bind(1, device_id).bind(2, nonce).bind(3, now);
    s.run();
    return db.changes() == 1;
}

void forget_nonces(db::Database& db, TimeMs before_ms) {
    auto& s = db.cached("DELETE FROM request_nonces WHERE seen_ms < ?1");
    s.bind(1, before_ms);
    s.run();
}

std::optional<std::int64_t> arrival_gap(TimeMs device_ms, TimeMs received_ms) {
    std::int64_t gap = received_ms - device_ms;
    if (gap > sync::clock_skew_flag_ms || gap < -sync::clock_skew_flag_ms) return gap;
    return std::nullopt;
}

UploadWriter::UploadWriter(db::Database& db, TimeMs received_ms, std::optional<std::int64_t> clock_skew_ms,
                           std::int64_t sync_seq)
    : db_(db),
      check_ins_(db.cached("INSERT INTO check_ins (" + std::string(check_in_columns) +
                           ", received_ms, clock_skew_ms, sync_seq, arrival_gap_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                           "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) ON CONFLICT DO NOTHING")),
      corrections_(db.cached(
          "INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, session_id, status, reason, author, "
          "device_id, created_ms, sync_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
          "ON CONFLICT (uuid) DO NOTHING")),
      check_in_uuid_(db.cached("SELECT 1 FROM check_ins WHERE uuid = ?1")),
      received_ms_(received_ms),
      clock_skew_ms_(clock_skew_ms),
      sync_seq_(sync_seq) {}

void UploadWriter::bind_check_in(db::Statement& s, int first, const CheckIn& c) {
    int i = first - 1;
    s.bind(i + 1, c.uuid).bind(i + 2, c.device_id).bind(i + 3, c.device_seq).bind(i + 4, c.participant_id);
    s.bind(i + 5, c.event_id).bind(i + 6, c.session_id).bind(i + 7, c.room_id).bind(i + 8, to_string(c.direction));
    s.bind(i + 9, to_string(c.method)).bind(i + 10, to_string(c.outcome)).bind(i + 11, c.reason);
    s.bind(i + 12, c.badge_serial).bind(i + 13, c.device_ms).bind(i + 14, c.device_offset_min).bind(i + 15, c.staff);
    s.bind(i + 16, received_ms_).bind(i + 17, clock_skew_ms_).bind(i + 18, sync_seq_);
    s.bind(i + 19, arrival_gap(c.device_ms, received_ms_));
}

UploadWriter::Result UploadWriter::check_in(const CheckIn& c) {
    auto& s = check_ins_;
    bind_check_in(s, 1, c);
    // ON CONFLICT DO NOTHING covers both keys (uuid, and device_id + device_seq), so a clash
    // writes nothing and raises nothing: on PostgreSQL a raised unique violation would abort
    // the whole upload's transaction. Which key it was is read after, in the same transaction.
    s.run();
    if (db_.changes() == 1) return Result::stored;
    check_in_uuid_.bind(1, c.uuid);
    if (check_in_uuid_.query_one([](const db::Statement&) { return true; })) return Result::uuid_taken;
    // Same device and sequence number as a different record: the device's database was
    // replaced or copied. The first record is kept.
    return Result::sequence_taken;
}

db::Statement& UploadWriter::check_in_rows(std::size_t rows) {
    std::string sql = "INSERT INTO check_ins (" + std::string(check_in_columns) +
                      ", received_ms, clock_skew_ms, sync_seq, arrival_gap_ms) VALUES ";
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ",(" : "(";
        for (int c = 1; c <= check_in_params; ++c) {
            if (c > 1) sql += ',';
            sql += '?' + std::to_string(static_cast<int>(r) * check_in_params + c);
        }
        sql += ')';
    }
    // RETURNING names the rows written; one not named was refused by a key (as in check_in).
    sql += " ON CONFLICT DO NOTHING RETURNING uuid";
    return db_.cached(sql);
}

std::vector<UploadWriter::Result> UploadWriter::check_ins(const std::vector<const CheckIn*>& records) {
    std::vector<Result> out(records.size(), Result::sequence_taken);
    std::size_t done = 0;
    while (done < records.size()) {
        // Whole chunks, then the rest in powers of two: at most 8 statement shapes per connection.
        std::size_t left = records.size() - done, rows = check_in_chunk;
        if (left < check_in_chunk) {
            rows = 1;
            while (rows * 2 <= left) rows *= 2;
        }
        auto& s = check_in_rows(rows);
        for (std::size_t r = 0; r < rows; ++r) bind_check_in(s, static_cast<int>(r) * check_in_params + 1, *records[done + r]);
        std::multiset<std::string> written;
        s.for_each_row([&](const db::Statement& row) { written.insert(row.text(0)); });
        for (std::size_t r = 0; r < rows; ++r) {
            const CheckIn& c = *records[done + r];
            // The same uuid twice in one statement: the first is the one written.
            if (auto it = written.find(c.uuid); it != written.end()) {
                written.erase(it);
                out[done + r] = Result::stored;
                continue;
            }
            check_in_uuid_.bind(1, c.uuid);
            out[done + r] = check_in_uuid_.query_one([](const db::Statement&) { return true; }) ? Result::uuid_taken
                                                                                              : Result::sequence_taken;
        }
        done += rows;
    }
    return out;
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
                           std::size_t page_rows, std::size_t page_bytes) {
    sync::Changes out;
    // A read transaction: every table below is read at one snapshot. It writes nothing, so
    // letting it roll back at the end is the same as committing it.
    db::Transaction snapshot(db, db::Transaction::Kind::deferred);
    out.cursor = current_change(db);
    // A cursor ahead of the hub's clock means the hub database was restored from an older
    // copy (or the device came from another hub): what it holds cannot be trusted to be
    // complete, so it gets everything again. Rows are upserts: nothing is doubled.
    if (since > out.cursor) since = 0;

    // Only the people this event needs, not the hub's whole roster.
    auto& participants = db.cached(std::string(needed_participants) + "SELECT " + std::string(participant_columns) +
                                   " FROM participants JOIN needed ON needed.pid = participants.id "
                                   "WHERE participants.changed_at > ?2 OR needed.linked_at > ?2 ORDER BY participants.id");
    out.participants = participants.bind(1, event).bind(2, since).query_all([](const db::Statement& r) {
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
    // Deletions travel as rows of their own: a removed enrolment (the device forgets it) and,
    // with every room sent, the room's whole facilitator list (the device replaces its own).
    auto& removals =
        db.cached("SELECT event_id, participant_id FROM enrolment_removals WHERE event_id = ?1 AND changed_at > ?2");
    out.enrolment_removals = removals.bind(1, event).bind(2, since).query_all([](const db::Statement& r) {
        return sync::EnrolmentRemoval{r.int64(0), r.int64(1)};
    });
    for (const auto& room : out.rooms) out.room_facilitators.push_back(sync::RoomFacilitators{room.id, {}});
    if (!out.rooms.empty()) {
        auto& facilitators = db.cached(
            "SELECT f.room_id, f.participant_id, f.lead FROM room_facilitators f JOIN rooms r ON r.id = f.room_id "
            "WHERE r.event_id = ?1 AND r.changed_at > ?2 ORDER BY f.room_id, f.lead DESC, f.participant_id");
        facilitators.bind(1, event).bind(2, since).for_each_row([&](const db::Statement& r) {
            for (auto& entry : out.room_facilitators)
                if (entry.room_id == r.int64(0)) entry.facilitators.push_back(sync::FacilitatorRow{r.int64(1), r.int32(2) != 0});
        });
    }
    auto& badges = db.cached(std::string(needed_participants) +
                             "SELECT participant_id, serial, issued_ms, revoked_ms, revoke_reason, token_digest FROM badges "
                             "JOIN needed ON needed.pid = badges.participant_id "
                             "WHERE badges.changed_at > ?2 OR needed.linked_at > ?2");
    out.badges = badges.bind(1, event).bind(2, since).query_all([](const db::Statement& r) {
        sync::BadgeRow b{r.int64(0), r.int64(1), r.int64(2), r.opt_int64(3), r.opt_text(4), {}};
        if (!r.is_null(5)) {
            auto digest = r.blob(5);
            b.token_digest = text::hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
        }
        return b;
    });
    auto& cards = db.cached(std::string(needed_participants) +
                            "SELECT uid, participant_id, attached_ms, detached_ms FROM nfc_cards "
                            "JOIN needed ON needed.pid = nfc_cards.participant_id "
                            "WHERE nfc_cards.changed_at > ?2 OR needed.linked_at > ?2");
    out.nfc_cards = cards.bind(1, event).bind(2, since).query_all([](const db::Statement& r) {
        return sync::NfcCardRow{r.text(0), r.int64(1), r.int64(2), r.opt_int64(3)};
    });

    // Other devices' records, check-ins and corrections merged in arrival order (sync_seq),
    // read a row at a time so a page costs memory only for what it sends. One upload shares
    // one sync_seq (at most max_batch_records rows): a page ends only between uploads, once
    // it holds page_rows rows or about page_bytes bytes, and then the cursor is the last
    // upload sent whole. So nothing is skipped or sent twice, and the cursor always moves on
    // (the first upload goes out whole even if it alone is over the budget).
    auto& check_ins = db.cached("SELECT " + std::string(check_in_columns) +
                                ", sync_seq FROM check_ins WHERE event_id = ?1 AND sync_seq > ?2 AND device_id <> ?3 "
                                "ORDER BY sync_seq");
    auto& corrections = db.cached("SELECT " + std::string(correction_columns) +
                                  ", sync_seq FROM corrections WHERE event_id = ?1 AND sync_seq > ?2 AND "
                                  "(device_id IS NULL OR device_id <> ?3) ORDER BY sync_seq");
    ResetBoth reset{check_ins, corrections};
    check_ins.bind(1, event).bind(2, since).bind(3, device_id);
    corrections.bind(1, event).bind(2, since).bind(3, device_id);
    constexpr int check_in_seq = 15, correction_seq = 11;  // sync_seq follows the record's columns
    constexpr auto none = std::numeric_limits<std::int64_t>::max();
    bool check_in_row = check_ins.step(), correction_row = corrections.step();
    std::size_t rows = 0, bytes = 0;
    std::int64_t upload = -1;  // the sync_seq being read
    while (check_in_row || correction_row) {
        auto next_check_in = check_in_row ? check_ins.int64(check_in_seq) : none;
        auto next_correction = correction_row ? corrections.int64(correction_seq) : none;
        auto seq = std::min(next_check_in, next_correction);
        if (seq != upload) {
            if (upload != -1 && (rows >= page_rows || bytes >= page_bytes)) {
                out.more = true;
                out.cursor = upload;
                break;
            }
            upload = seq;
        }
        if (next_check_in == seq) {
            out.check_ins.push_back(read_check_in(check_ins));
            bytes += approx_bytes(out.check_ins.back());
            check_in_row = check_ins.step();
        } else {
            out.corrections.push_back(read_correction(corrections));
            bytes += approx_bytes(out.corrections.back());
            correction_row = corrections.step();
        }
        ++rows;
    }
    return out;
}

}  // namespace muster::store
