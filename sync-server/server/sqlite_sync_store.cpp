#include "sqlite_sync_store.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/util/text.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>

namespace muster::server {
namespace {

// A read transaction: every table is read at one snapshot, so the cursor handed back
// matches exactly the rows sent.
class ReadSnapshot {
public:
    explicit ReadSnapshot(db::Database& db) : db_(db) { db_.exec("BEGIN"); }
    ~ReadSnapshot() {
        try {
            db_.exec("COMMIT");
        } catch (...) {
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    db::Database& db_;
};

bool is_unique_violation(const db::Error& e) {
    return e.extended_code() == SQLITE_CONSTRAINT_UNIQUE || e.extended_code() == SQLITE_CONSTRAINT_PRIMARYKEY;
}

}  // namespace

SqliteSyncStore::SqliteSyncStore(const std::filesystem::path& database, std::size_t changes_page)
    : changes_page_(std::max<std::size_t>(changes_page, 2 * sync::max_batch_records)) {
    writer_ = store::open_database(database.string());  // migrates an older hub database
    store::use_hub_indexes(*writer_);
    reader_ = store::open_database(database.string());
}

SqliteSyncStore::~SqliteSyncStore() = default;

std::optional<DeviceRecord> SqliteSyncStore::find_device(const std::string& id) {
    std::lock_guard lock(read_mutex_);
    auto& s = reader_->cached("SELECT id, event_id, room_id, secret, revoked_ms FROM devices WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        s.reset();
        return std::nullopt;
    }
    DeviceRecord d;
    d.id = s.text(0);
    d.event_id = s.opt_int64(1).value_or(0);
    d.room_id = s.opt_int64(2);
    std::string secret = s.is_null(3) ? std::string() : s.blob(3);
    if (secret.size() == sync::DeviceSecret{}.size()) {
        sync::DeviceSecret k{};
        std::copy(secret.begin(), secret.end(), k.begin());
        d.secret = k;
    }
    d.revoked = !s.is_null(4);
    s.reset();
    return d;
}

bool SqliteSyncStore::remember_nonce(const std::string& device_id, const std::string& nonce, TimeMs now) {
    std::lock_guard lock(write_mutex_);
    return insert_nonce(device_id, nonce, now);
}

bool SqliteSyncStore::insert_nonce(const std::string& device_id, const std::string& nonce, TimeMs now) {
    if (now - last_nonce_prune_ms_ > 60'000) {
        // Older than twice the window: a request carrying such a nonce is refused by its time anyway.
        auto& prune = writer_->cached("DELETE FROM request_nonces WHERE seen_ms < ?1");
        prune.bind(1, now - 2 * sync::request_window_ms);
        prune.run();
        last_nonce_prune_ms_ = now;
    }
    auto& s = writer_->cached("INSERT OR IGNORE INTO request_nonces (device_id, nonce, seen_ms) VALUES (?1, ?2, ?3)");
    s.bind(1, device_id).bind(2, nonce).bind(3, now);
    s.run();
    return writer_->changes() == 1;
}

sync::UploadReply SqliteSyncStore::ingest(const DeviceRecord& device, const sync::UploadBatch& batch, TimeMs now,
                                          const std::string& nonce) {
    sync::UploadReply reply;
    reply.server_time_ms = now;
    reply.clock_skew_ms = batch.device_time_ms - now;
    reply.clock_flagged = std::llabs(reply.clock_skew_ms) > sync::clock_skew_flag_ms;
    std::optional<std::int64_t> skew;
    if (reply.clock_flagged) skew = reply.clock_skew_ms;

    std::lock_guard lock(write_mutex_);
    db::Transaction tx(*writer_);
    if (!nonce.empty() && !insert_nonce(device.id, nonce, now)) throw ReplayedRequest();  // rolled back
    std::int64_t seq = store::next_change(*writer_);
    auto& insert_check_in = writer_->cached(
        "INSERT INTO check_ins (" + std::string(store::check_in_columns) +
        ", received_ms, clock_skew_ms, sync_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17, ?18) ON CONFLICT (uuid) DO NOTHING");
    for (const auto& c : batch.check_ins) {
        // A device may only write its own records for its own event.
        if (c.device_id != device.id) {
            reply.rejected.push_back({c.uuid, "record names device '" + c.device_id + "', not the device that sent it"});
            continue;
        }
        if (c.event_id != device.event_id) {
            reply.rejected.push_back({c.uuid, "event " + std::to_string(c.event_id) + " is not this device's event"});
            continue;
        }
        auto& s = insert_check_in;
        s.bind(1, c.uuid).bind(2, c.device_id).bind(3, c.device_seq).bind(4, c.participant_id).bind(5, c.event_id);
        s.bind(6, c.session_id).bind(7, c.room_id).bind(8, to_string(c.direction)).bind(9, to_string(c.method));
        s.bind(10, to_string(c.outcome)).bind(11, c.reason).bind(12, c.badge_serial).bind(13, c.device_ms);
        s.bind(14, c.device_offset_min).bind(15, c.staff).bind(16, now).bind(17, skew).bind(18, seq);
        try {
            s.run();
            reply.acked.push_back(c.uuid);  // stored now, or already stored by an earlier try
        } catch (const db::Error& e) {
            s.reset();
            if (!is_unique_violation(e)) throw;
            // Same device and sequence number as a different record: the device's database
            // was replaced or copied. Keep the first; staff must look at the second.
            reply.rejected.push_back({c.uuid, "device sequence " + std::to_string(c.device_seq) +
                                                  " is already used by another record from this device"});
        }
    }
    auto& insert_correction = writer_->cached(
        "INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, session_id, status, reason, author, "
        "device_id, created_ms, sync_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
        "ON CONFLICT (uuid) DO NOTHING");
    for (const auto& c : batch.corrections) {
        if (c.device_id && *c.device_id != device.id) {
            reply.rejected.push_back({c.uuid, "correction names another device"});
            continue;
        }
        if (c.event_id != device.event_id) {
            reply.rejected.push_back({c.uuid, "event " + std::to_string(c.event_id) + " is not this device's event"});
            continue;
        }
        if (c.reason.empty() || c.author.empty()) {
            reply.rejected.push_back({c.uuid, "a correction needs a reason and an author"});
            continue;
        }
        std::optional<std::string> status;
        if (c.status) status = std::string(to_string(*c.status));
        auto& s = insert_correction;
        s.bind(1, c.uuid).bind(2, c.kind == CorrectionKind::void_scan ? "void" : "mark").bind(3, c.target_uuid);
        s.bind(4, c.participant_id).bind(5, c.event_id).bind(6, c.session_id).bind(7, status).bind(8, c.reason);
        s.bind(9, c.author).bind(10, device.id).bind(11, c.created_ms).bind(12, seq);
        s.run();
        reply.acked.push_back(c.uuid);
    }
    tx.commit();
    return reply;
}

sync::Changes SqliteSyncStore::changes_since(const DeviceRecord& device, std::int64_t since, TimeMs now) {
    sync::Changes out;
    out.server_time_ms = now;
    std::lock_guard lock(read_mutex_);
    auto& db = *reader_;
    ReadSnapshot snapshot(db);
    out.cursor = store::current_change(db);
    // A cursor ahead of the hub's clock means the hub database was restored from an older
    // copy (or the device came from another hub): what it holds cannot be trusted to be
    // complete, so it gets everything again. Rows are upserts: nothing is doubled.
    if (since > out.cursor) since = 0;
    const EventId event = device.event_id;

    auto& participants =
        db.cached("SELECT " + std::string(store::participant_columns) + " FROM participants WHERE changed_at > ?1 ORDER BY id");
    participants.bind(1, since);
    while (participants.step()) {
        auto p = store::read_participant(participants);
        p.email.reset();  // devices never hold emails
        p.lead_provider.reset();
        p.delivery_partner.reset();
        out.participants.push_back(std::move(p));
    }
    participants.reset();

    auto& events =
        db.cached("SELECT " + std::string(store::event_columns) + " FROM events WHERE id = ?1 AND changed_at > ?2");
    events.bind(1, event).bind(2, since);
    while (events.step()) out.events.push_back(store::read_event(events));
    events.reset();

    auto& sessions = db.cached(
        "SELECT id, event_id, name, starts_ms, ends_ms, opens_before_min, closes_after_min FROM sessions "
        "WHERE event_id = ?1 AND changed_at > ?2 ORDER BY starts_ms");
    sessions.bind(1, event).bind(2, since);
    while (sessions.step())
        out.sessions.push_back(Session{sessions.int64(0), sessions.int64(1), sessions.text(2), sessions.int64(3),
                                       sessions.int64(4), sessions.int32(5), sessions.int32(6)});
    sessions.reset();

    auto& rooms = db.cached("SELECT id, event_id, name FROM rooms WHERE event_id = ?1 AND changed_at > ?2");
    rooms.bind(1, event).bind(2, since);
    while (rooms.step()) out.rooms.push_back(Room{rooms.int64(0), rooms.int64(1), rooms.text(2)});
    rooms.reset();

    auto& enrolments =
        db.cached("SELECT event_id, participant_id, room_id FROM enrolments WHERE event_id = ?1 AND changed_at > ?2");
    enrolments.bind(1, event).bind(2, since);
    while (enrolments.step())
        out.enrolments.push_back(Enrolment{enrolments.int64(0), enrolments.int64(1), enrolments.opt_int64(2)});
    enrolments.reset();

    auto& badges = db.cached(
        "SELECT participant_id, serial, issued_ms, revoked_ms, revoke_reason, token_digest FROM badges WHERE changed_at > ?1");
    badges.bind(1, since);
    while (badges.step()) {
        sync::BadgeRow b{badges.int64(0), badges.int64(1), badges.int64(2), badges.opt_int64(3), badges.opt_text(4), {}};
        if (!badges.is_null(5)) {
            auto digest = badges.blob(5);
            b.token_digest = text::hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
        }
        out.badges.push_back(std::move(b));
    }
    badges.reset();

    auto& cards = db.cached("SELECT uid, participant_id, attached_ms, detached_ms FROM nfc_cards WHERE changed_at > ?1");
    cards.bind(1, since);
    while (cards.step())
        out.nfc_cards.push_back(sync::NfcCardRow{cards.text(0), cards.int64(1), cards.int64(2), cards.opt_int64(3)});
    cards.reset();

    // Other devices' records, in arrival order, a page at a time. One upload shares one
    // sync_seq and holds at most max_batch_records rows, fewer than a page, so "last seq
    // minus one" always moves the cursor forward and re-sends only the last upload's rows.
    auto page = static_cast<std::int64_t>(changes_page_);
    auto& check_ins = db.cached("SELECT " + std::string(store::check_in_columns) +
                                ", sync_seq FROM check_ins WHERE event_id = ?1 AND sync_seq > ?2 AND device_id <> ?3 "
                                "ORDER BY sync_seq LIMIT ?4");
    check_ins.bind(1, event).bind(2, since).bind(3, device.id).bind(4, page);
    std::int64_t last_seq = 0;
    while (check_ins.step()) {
        out.check_ins.push_back(store::read_check_in(check_ins));
        last_seq = check_ins.int64(15);
    }
    check_ins.reset();
    if (static_cast<std::int64_t>(out.check_ins.size()) == page) {
        out.more = true;
        out.cursor = std::min(out.cursor, last_seq - 1);
    }

    auto& corrections = db.cached(
        "SELECT " + std::string(store::correction_columns) + ", sync_seq FROM corrections WHERE event_id = ?1 AND sync_seq > ?2 AND "
        "(device_id IS NULL OR device_id <> ?3) ORDER BY sync_seq LIMIT ?4");
    corrections.bind(1, event).bind(2, since).bind(3, device.id).bind(4, page);
    last_seq = 0;
    while (corrections.step()) {
        out.corrections.push_back(store::read_correction(corrections));
        last_seq = corrections.int64(11);
    }
    corrections.reset();
    if (static_cast<std::int64_t>(out.corrections.size()) == page) {
        out.more = true;
        out.cursor = std::min(out.cursor, last_seq - 1);
    }
    return out;
}

bool SqliteSyncStore::healthy() {
    std::lock_guard lock(read_mutex_);
    try {
        auto& s = reader_->cached("SELECT value FROM change_clock WHERE id = 1");
        bool ok = s.step();
        s.reset();
        return ok;
    } catch (const db::Error&) {
        return false;
    }
}

}  // namespace muster::server
