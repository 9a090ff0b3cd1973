#pragma once
// The hub's side of sync in its database: the nonces of accepted requests, uploaded
// records stamped on arrival, and the pages of changes a device downloads. Which records a
// device may write is the server's decision (sync-server/server); these only store and read.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"
#include "muster/sync/sync_messages.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

// Remembers a device's request nonce; false when it was there already (a replay).
bool remember_nonce(db::Database& db, const std::string& device_id, const std::string& nonce, TimeMs now);
// Forgets nonces first seen before `before_ms`.
void forget_nonces(db::Database& db, TimeMs before_ms);

// A check-in's own flag: received_ms minus device_ms when that is over 2 minutes either way
// (stored in check_ins.arrival_gap_ms), else nullopt. Judged per record, not per upload.
std::optional<std::int64_t> arrival_gap(TimeMs device_ms, TimeMs received_ms);

// Writes one upload's records, each stamped with the arrival: received_ms, the device's
// clock skew when it was flagged, a check-in's own arrival gap (above) and the upload's
// sync_seq (one per upload). Made once
// per upload inside its transaction; its statements are prepared once per connection.
class UploadWriter {
public:
    UploadWriter(db::Database& db, TimeMs received_ms, std::optional<std::int64_t> clock_skew_ms, std::int64_t sync_seq);

    // Whether a record is allowed, and whether a uuid already stored is the same record
    // (a retry) or another (a conflict), is the caller's to judge first (upload_rules.hpp):
    // these never overwrite and never pass off a clash as stored.
    enum class Result {
        stored,         // stored now
        uuid_taken,     // a record with this uuid is already stored: nothing written
        sequence_taken  // the device's sequence number belongs to another of its records
    };
    Result check_in(const CheckIn& c);
    // Many check-ins, a result each in the same order: written with multi-row INSERTs of up
    // to check_in_chunk rows (a statement prepared once per chunk size and connection), so
    // an upload of 500 costs a handful of round trips to a PostgreSQL server. A record
    // refused by a key is told apart (uuid_taken / sequence_taken) by one look-up each.
    std::vector<Result> check_ins(const std::vector<const CheckIn*>& records);
    static constexpr std::size_t check_in_chunk = 100;  // 1,900 parameters: far below either engine's limit
    // `device_id` is the sender's (a hub correction names none).
    Result correction(const Correction& c, const std::string& device_id);

private:
    db::Statement& check_in_rows(std::size_t rows);
    void bind_check_in(db::Statement& s, int first, const CheckIn& c);

    db::Database& db_;
    db::Statement& check_ins_;
    db::Statement& corrections_;
    db::Statement& check_in_uuid_;
    TimeMs received_ms_;
    std::optional<std::int64_t> clock_skew_ms_;
    std::int64_t sync_seq_;
};

// Everything a device at `event` needs that changed after `since`, read at one snapshot so
// the cursor matches exactly the rows sent: the event, its sessions, rooms (each with its
// whole facilitator list), enrolments and enrolments removed;
// the people it needs (enrolled there, or facilitating one of its rooms) with their badges
// and NFC cards, all of them again when they were linked to the event after `since`; and
// other devices' check-ins and corrections in arrival order, whole uploads at a time until
// `page_rows` rows or about `page_bytes` bytes (then `more` is set and the cursor is the
// last upload sent; see docs/api.md, "Changes"). A cursor ahead of the hub's clock gets
// everything again. server_time_ms is left for the caller.
sync::Changes read_changes(db::Database& db, const std::string& device_id, EventId event, std::int64_t since,
                           std::size_t page_rows, std::size_t page_bytes = 4 << 20);

}  // namespace muster::store
