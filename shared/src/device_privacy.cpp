#include "muster/store/device_privacy.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/settings_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/config_error.hpp"
#include "muster/util/private_files.hpp"
#include "muster/util/text.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace muster::store {
namespace {

constexpr const char* purged_key = "privacy.roster_purged_ms";
// A check value of the key (its HMAC of a fixed text), kept in the database: a missing or
// replaced key file is noticed instead of every TRN search silently finding no one.
constexpr const char* key_check_key = "privacy.trn_key_check";

std::string key_check(const TrnKey& key) {
    auto digest = trn_digest(key, "muster trn key check");
    return text::hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

std::int64_t count(db::Database& db, std::string_view sql) {
    return db.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
}

// secure_delete for the connection while `f` runs: SQLite zeroes deleted and overwritten
// content in place rather than leaving it in free space.
template <class F>
void with_secure_delete(db::Database& db, F f) {
    bool was = db.prepare("PRAGMA secure_delete").query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0) != 0;
    db.exec("PRAGMA secure_delete = ON");
    try {
        f();
    } catch (...) {
        if (!was) db.exec("PRAGMA secure_delete = OFF");
        throw;
    }
    if (!was) db.exec("PRAGMA secure_delete = OFF");
}

// Older copies of the pages may sit in the WAL: copy the pages home and empty it. Best
// effort: another connection reading makes this partial; SQLite removes the WAL when the
// last connection closes anyway.
void empty_wal(db::Database& db) {
    db.prepare("PRAGMA wal_checkpoint(TRUNCATE)").query_one([](const db::Statement& r) { return r.int64(0); });
}

}  // namespace

std::optional<TrnKey> read_trn_key(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) return std::nullopt;
    restrict_to_owner(file);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError("privacy.trn_key: cannot read " + file.string());
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    TrnKey key{};
    if (bytes.size() != key.size()) {
        OPENSSL_cleanse(bytes.data(), bytes.size());
        throw ConfigError("privacy.trn_key: " + file.string() + " is not a TRN key (32 bytes)");
    }
    std::copy(bytes.begin(), bytes.end(), key.begin());
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return key;
}

TrnKey create_trn_key(const std::filesystem::path& file) {
    TrnKey key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) throw std::runtime_error("no random bytes for a TRN key");
    write_new_private_file(file, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
    return key;
}

std::optional<std::string> normalise_trn(std::string_view typed) {
    std::string s = text::replace_all(std::string(text::trim(typed)), " ", "");
    if (!text::all_digits(s) || s.empty()) return std::nullopt;
    if (s.size() == 6) s = "0" + s;  // a spreadsheet dropped the leading zero
    if (s.size() != 7) return std::nullopt;
    return s;
}

std::string trn_digest(const TrnKey& key, std::string_view normalised_trn) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(normalised_trn.data()),
              normalised_trn.size(), out, &length) ||
        length != 32)
        throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(out), length);
}

void prepare_trn_hashes(db::Database& device) {
    device.exec(
        "CREATE TABLE IF NOT EXISTS device_trn_hashes ("
        "participant_id INTEGER PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE, "
        "digest BLOB NOT NULL UNIQUE)");
}

void set_trn_hash(db::Database& device, const TrnKey& key, ParticipantId who, const std::optional<std::string>& trn) {
    auto normal = trn ? normalise_trn(*trn) : std::nullopt;
    if (!normal) {
        auto& drop = device.cached("DELETE FROM device_trn_hashes WHERE participant_id = ?1");
        drop.bind(1, who);
        drop.run();
        return;
    }
    auto digest = trn_digest(key, *normal);
    auto& moved = device.cached("DELETE FROM device_trn_hashes WHERE digest = ?1 AND participant_id <> ?2");
    moved.bind_blob(1, digest.data(), digest.size()).bind(2, who);
    moved.run();
    auto& put = device.cached("INSERT OR REPLACE INTO device_trn_hashes (participant_id, digest) VALUES (?1, ?2)");
    put.bind(1, who).bind_blob(2, digest.data(), digest.size());
    put.run();
}

DeviceTrnKey secure_device_trns(db::Database& device, const std::filesystem::path& key_file) {
    DeviceTrnKey out;
    prepare_trn_hashes(device);
    auto check = setting(device, key_check_key);
    auto key = read_trn_key(key_file);
    std::int64_t hashes = count(device, "SELECT count(*) FROM device_trn_hashes");
    if (!key) {
        if (hashes > 0)
            throw ConfigError("privacy.trn_key: " + key_file.string() + " is missing, and " + device.path() +
                              " holds TRNs hashed under it: restore the file from this device's folder, or provision "
                              "the device again (muster device add --out)");
        key = create_trn_key(key_file);
    }
    if (check && *check != key_check(*key) && hashes > 0)
        throw ConfigError("privacy.trn_key: " + key_file.string() + " is not the key " + device.path() +
                          "'s TRNs were hashed under: restore this device's own trn.key, or provision it again");
    out.key = *key;
    if (!check || *check != key_check(*key)) set_setting(device, key_check_key, key_check(*key));

    if (count(device, "SELECT count(*) FROM participants WHERE trn IS NOT NULL") == 0) return out;
    // A database made before TRNs were hashed: hash them in place, once, and zero the clear
    // ones in the file.
    with_secure_delete(device, [&] {
        db::Transaction tx(device);
        auto clear = device.prepare("SELECT id, trn FROM participants WHERE trn IS NOT NULL")
                         .query_all([](const db::Statement& r) { return std::pair{r.int64(0), r.text(1)}; });
        device.exec("UPDATE participants SET trn = NULL WHERE trn IS NOT NULL");
        for (const auto& [id, trn] : clear) set_trn_hash(device, out.key, id, trn);
        tx.commit();
        out.hashed_now = clear.size();
    });
    empty_wal(device);
    return out;
}

std::vector<Participant> search_device_participants(db::Database& device, const TrnKey& key, std::string_view query,
                                                    int limit) {
    if (auto trn = normalise_trn(query)) {
        auto digest = trn_digest(key, *trn);
        auto& s = device.cached("SELECT " + std::string(participant_columns) +
                                " FROM participants WHERE id = (SELECT participant_id FROM device_trn_hashes WHERE digest = ?1)");
        s.bind_blob(1, digest.data(), digest.size());
        return s.query_all(read_participant);
    }
    // Names only: the device's TRN column is empty, so the shared search finds no TRN prefix.
    return search_participants(device, query, limit);
}

std::optional<TimeMs> roster_purge_due(db::Database& device, EventId event, int days) {
    auto date = device.prepare("SELECT local_date FROM events WHERE id = ?1")
                    .bind(1, event)
                    .query_one([](const db::Statement& r) { return r.text(0); });
    if (!date) return std::nullopt;
    auto local = uk_time::parse_date(*date);
    if (!local) return std::nullopt;
    std::int64_t last_day = uk_time::days_from_civil(local->year, local->month, local->day);
    auto last_end = device.prepare("SELECT max(ends_ms) FROM sessions WHERE event_id = ?1")
                        .bind(1, event)
                        .query_one([](const db::Statement& r) { return r.opt_int64(0); });
    if (last_end && *last_end) {
        auto end = uk_time::to_local(**last_end);
        last_day = std::max(last_day, uk_time::days_from_civil(end.year, end.month, end.day));
    }
    auto due = uk_time::civil_from_days(last_day + 1 + days);  // midnight at the end of the last day, + days
    due.hour = due.minute = due.second = 0;
    return uk_time::from_local(due);
}

std::optional<TimeMs> roster_purged_at(db::Database& device) {
    auto v = setting(device, purged_key);
    if (!v) return std::nullopt;
    try {
        return std::stoll(*v);
    } catch (const std::exception&) {
        return TimeMs{0};
    }
}

std::int64_t unacknowledged_records(db::Database& device) { return count(device, "SELECT count(*) FROM outbox"); }

bool compact_device_database(db::Database& device) {
    try {
        device.exec("VACUUM");
    } catch (const db::Error&) {
        return false;  // another connection busy: the next check tries again
    }
    empty_wal(device);
    return true;
}

RosterPurge purge_device_roster(db::Database& device, const std::string& device_id, TimeMs now) {
    RosterPurge out;
    prepare_trn_hashes(device);
    with_secure_delete(device, [&] {
        db::Transaction tx(device);
        // The numbers this device used stay used: a later record (a device moved on with this
        // database) never reuses one of the acknowledged records deleted below.
        auto seq = device.prepare("SELECT COALESCE(MAX(device_seq), 0) FROM check_ins WHERE device_id = ?1")
                       .bind(1, device_id)
                       .query_one([](const db::Statement& r) { return r.int64(0); })
                       .value_or(0);
        auto floor = setting(device, std::string(device_seq_floor_key));
        std::int64_t old_floor = 0;
        try {
            old_floor = floor ? std::stoll(*floor) : 0;
        } catch (const std::exception&) {
        }
        if (seq > old_floor) set_setting(device, std::string(device_seq_floor_key), std::to_string(seq));

        out.people = count(device, "SELECT count(*) FROM participants");
        for (std::string_view sql : {"DELETE FROM device_trn_hashes", "DELETE FROM badges", "DELETE FROM nfc_cards",
                                     "DELETE FROM room_facilitators", "DELETE FROM enrolments",
                                     "DELETE FROM check_ins WHERE uuid NOT IN (SELECT uuid FROM outbox)",
                                     "DELETE FROM corrections WHERE uuid NOT IN (SELECT uuid FROM outbox)",
                                     "DELETE FROM participants"})
            device.exec(sql);
        out.records_kept = unacknowledged_records(device);
        set_setting(device, purged_key, std::to_string(now));
        tx.commit();
    });
    out.vacuumed = compact_device_database(device);
    return out;
}

}  // namespace muster::store
