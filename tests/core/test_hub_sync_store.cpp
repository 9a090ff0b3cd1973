// The hub's side of sync in its database (store/hub_sync_store.hpp), on both engines: nonces
// remembered once, an upload's records stored once with a clash told apart without
// aborting the upload's transaction, and the pages of changes a device downloads. The
// concurrent cases use two connections to one database, as two server processes would.
#include "test_hub.hpp"
#include "wait_until.hpp"

#include "muster/store/badge_store.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/hub_sync_store.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <map>
#include <set>
#include <thread>

using namespace muster;

namespace {

CheckIn record(const test::TestHub& hub, const std::string& device, std::int64_t seq, ParticipantId who, TimeMs at) {
    CheckIn c;
    c.uuid = new_uuid(at);
    c.device_id = device;
    c.device_seq = seq;
    c.participant_id = who;
    c.event_id = hub.event;
    c.session_id = hub.loaded.sessions.at(0).id;
    c.direction = Direction::entry;
    c.method = Method::qr;
    c.outcome = Outcome::checked_in;
    c.badge_serial = 1;
    c.device_ms = at;
    c.device_offset_min = 0;
    return c;
}

Correction void_of(const test::TestHub& hub, const std::string& uuid, const std::string& target, TimeMs at) {
    Correction v;
    v.uuid = uuid;
    v.kind = CorrectionKind::void_scan;
    v.target_uuid = target;
    v.event_id = hub.event;
    v.reason = "wrong person";
    v.author = "kiosk";
    v.created_ms = at;
    return v;
}

// One upload as the server stores it: one transaction, one sync_seq. The counts of each
// result, by result.
std::map<store::UploadWriter::Result, int> upload(db::Database& db, const std::vector<CheckIn>& records, TimeMs now) {
    std::map<store::UploadWriter::Result, int> out;
    db::Transaction tx(db);
    store::UploadWriter write(db, now, std::nullopt, store::next_change(db));
    for (const auto& c : records) ++out[write.check_in(c)];
    tx.commit();
    return out;
}

std::int64_t count(db::Database& db, const std::string& sql) {
    return db.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value();
}

}  // namespace

TEST_CASE("a request nonce is remembered once per device and forgotten after its time", "[sync][store][engines]") {
    test::TestHub hub;
    auto& db = *hub.db;
    CHECK(store::remember_nonce(db, "kiosk-a", "0123456789abcdef", 1000));
    CHECK_FALSE(store::remember_nonce(db, "kiosk-a", "0123456789abcdef", 1001));  // a replay
    CHECK(store::remember_nonce(db, "kiosk-b", "0123456789abcdef", 1002));        // another device's
    CHECK(store::remember_nonce(db, "kiosk-a", "fedcba9876543210", 5000));
    store::forget_nonces(db, 2000);
    CHECK(count(db, "SELECT count(*) FROM request_nonces") == 1);
    CHECK(store::remember_nonce(db, "kiosk-a", "0123456789abcdef", 6000));  // forgotten: its time refuses it now
    CHECK_FALSE(store::remember_nonce(db, "kiosk-a", "fedcba9876543210", 6001));

    // A replay inside an upload's transaction writes nothing and leaves the transaction
    // usable (on PostgreSQL a raised error would have aborted it).
    {
        db::Transaction tx(db);
        CHECK_FALSE(store::remember_nonce(db, "kiosk-a", "fedcba9876543210", 6002));
        CHECK(store::remember_nonce(db, "kiosk-a", "00000000000000aa", 6003));
        tx.commit();
    }
    CHECK(count(db, "SELECT count(*) FROM request_nonces WHERE nonce = '00000000000000aa'") == 1);
}

TEST_CASE("an upload stores each record once and tells a retry from a reused device sequence", "[sync][store][engines]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto& db = *hub.db;
    auto sian = hub.id_of_trn("1234567"), rhys = hub.id_of_trn("3456789");
    auto first = record(hub, "kiosk-a", 1, sian, now);
    auto second = record(hub, "kiosk-a", 2, rhys, now + 1);
    auto same_seq = record(hub, "kiosk-a", 2, sian, now + 2);  // a copied device database: seq 2 again
    auto voided = void_of(hub, "void-1", first.uuid, now + 3);

    std::int64_t seq = 0;
    {
        db::Transaction tx(db);
        seq = store::next_change(db);
        store::UploadWriter write(db, now + 500, std::int64_t{-150'000}, seq);
        CHECK(write.check_in(first) == store::UploadWriter::Result::stored);
        CHECK(write.check_in(second) == store::UploadWriter::Result::stored);
        CHECK(write.check_in(first) == store::UploadWriter::Result::uuid_taken);
        CHECK(write.check_in(same_seq) == store::UploadWriter::Result::sequence_taken);
        CHECK(write.correction(voided, "kiosk-a") == store::UploadWriter::Result::stored);
        CHECK(write.correction(voided, "kiosk-a") == store::UploadWriter::Result::uuid_taken);
        tx.commit();  // the clashes above wrote nothing and did not spoil the transaction
    }
    CHECK(count(db, "SELECT count(*) FROM check_ins") == 2);
    CHECK_FALSE(store::find_check_in(db, same_seq.uuid));
    CHECK(store::find_check_in(db, second.uuid)->participant_id == rhys);  // the first record kept
    CHECK(count(db, "SELECT count(*) FROM check_ins WHERE sync_seq = " + std::to_string(seq) +
                        " AND received_ms = " + std::to_string(now + 500) + " AND clock_skew_ms = -150000") == 2);
    CHECK(count(db, "SELECT count(*) FROM corrections WHERE sync_seq = " + std::to_string(seq) +
                        " AND device_id = 'kiosk-a'") == 1);
    CHECK(store::is_voided(db, first.uuid));

    // The same upload again, in a new transaction: nothing written, nothing re-stamped.
    auto again = upload(db, {first, second}, now + 9000);
    CHECK(again[store::UploadWriter::Result::uuid_taken] == 2);
    CHECK(count(db, "SELECT count(*) FROM check_ins WHERE received_ms = " + std::to_string(now + 9000)) == 0);
}

TEST_CASE("a device downloads the people its event needs and other devices' records, in whole uploads a page",
          "[sync][store][engines]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto& db = *hub.db;
    auto sian = hub.id_of_trn("1234567"), zoe = hub.id_of_trn("2345678");
    {
        db::Transaction tx(db);
        store::issue_signed_badge(db, hub.keys, sian, now, store::next_change(db));
        tx.commit();
    }
    auto everything = store::read_changes(db, "kiosk-b", hub.event, 0, 1000);
    CHECK_FALSE(everything.more);
    CHECK(everything.cursor == store::current_change(db));
    REQUIRE(everything.events.size() == 1);
    CHECK(everything.sessions.size() == 2);
    CHECK(everything.rooms.size() == 2);
    CHECK(everything.room_facilitators.size() == 2);
    CHECK_FALSE(everything.participants.empty());
    for (const auto& p : everything.participants) CHECK_FALSE(p.email);  // devices never hold emails
    REQUIRE(everything.badges.size() == 1);
    CHECK(everything.badges[0].participant_id == sian);
    REQUIRE(everything.badges[0].token_digest);
    CHECK(everything.badges[0].token_digest->size() == 64);  // 32 bytes, in hex
    CHECK(everything.check_ins.empty());

    // Three uploads: two from kiosk-a (3 records, then 2) and kiosk-b's own.
    std::int64_t since = everything.cursor;
    upload(db, {record(hub, "kiosk-a", 1, sian, now), record(hub, "kiosk-a", 2, zoe, now + 1),
                record(hub, "kiosk-a", 3, sian, now + 2)},
           now + 10);
    upload(db, {record(hub, "kiosk-a", 4, zoe, now + 3), record(hub, "kiosk-a", 5, sian, now + 4)}, now + 20);
    upload(db, {record(hub, "kiosk-b", 1, zoe, now + 5)}, now + 30);

    // A page of 2 rows still carries the first upload whole (3 rows), then stops between uploads.
    auto page = store::read_changes(db, "kiosk-b", hub.event, since, 2);
    CHECK(page.more);
    REQUIRE(page.check_ins.size() == 3);
    CHECK(page.check_ins[0].device_seq == 1);
    CHECK(page.participants.empty());  // nothing about the people changed since the cursor
    auto rest = store::read_changes(db, "kiosk-b", hub.event, page.cursor, 2);
    CHECK_FALSE(rest.more);
    REQUIRE(rest.check_ins.size() == 2);  // never kiosk-b's own
    CHECK(rest.check_ins[0].device_seq == 4);
    CHECK(rest.cursor == store::current_change(db));
    CHECK(store::read_changes(db, "kiosk-b", hub.event, rest.cursor, 2).check_ins.empty());
    CHECK(store::read_changes(db, "kiosk-a", hub.event, since, 100).check_ins.size() == 1);  // kiosk-b's, for kiosk-a

    // A cursor ahead of the hub's clock (a restored hub): everything again.
    auto restored = store::read_changes(db, "kiosk-b", hub.event, rest.cursor + 1000, 1000);
    CHECK(restored.check_ins.size() == 5);
    CHECK(restored.events.size() == 1);
    CHECK(restored.cursor == store::current_change(db));
}

TEST_CASE("two connections remembering the same nonces at once: exactly one wins each", "[sync][store][engines]") {
    test::TestHub hub;
    auto other = store::open_database(hub.database.location());  // a second server process, say
    db::Database* connections[] = {hub.db.get(), other.get()};
    constexpr int nonces = 300;
    std::atomic<int> wins[nonces] = {};
    std::latch start(2);
    auto remember_all = [&](db::Database& db) {
        start.arrive_and_wait();
        for (int i = 0; i < nonces; ++i)
            if (store::remember_nonce(db, "kiosk-a", "nonce-" + std::to_string(i), 1000)) ++wins[i];
    };
    std::thread a(remember_all, std::ref(*connections[0])), b(remember_all, std::ref(*connections[1]));
    a.join();
    b.join();
    int once = 0;
    for (auto& w : wins) once += w.load() == 1;
    CHECK(once == nonces);
    CHECK(count(*hub.db, "SELECT count(*) FROM request_nonces") == nonces);
}

TEST_CASE("a nonce taken by an upload still in its transaction is refused to the other connection once it commits",
          "[sync][store][engines]") {
    test::TestHub hub;
    auto other = store::open_database(hub.database.location());
    // The other connection's insert waits on the uncommitted row (PostgreSQL) or on the
    // write lock (SQLite); on PostgreSQL the test sees it waiting before going on.
    auto waiting = [&] {
        if (hub.db->engine() != db::Engine::postgresql) return true;
        auto watcher = std::make_unique<db::Database>(hub.database.location());
        return test::wait_until(
            [&] {
                return count(*watcher, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND wait_event_type = 'Lock'") > 0;
            },
            std::chrono::seconds(10));
    };
    for (bool commit : {true, false}) {
        std::string nonce = commit ? "committed-nonce" : "rolled-back-nonce";
        std::optional<bool> others;
        std::optional<db::Transaction> tx(std::in_place, *hub.db);
        REQUIRE(store::remember_nonce(*hub.db, "kiosk-a", nonce, 1000));
        std::thread t([&] { others = store::remember_nonce(*other, "kiosk-a", nonce, 1001); });
        CHECK(waiting());
        if (commit) tx->commit();
        tx.reset();  // without a commit, rolled back: the nonce is the other's to take
        t.join();
        REQUIRE(others);
        CHECK(*others == !commit);
    }
    CHECK(count(*hub.db, "SELECT count(*) FROM request_nonces") == 2);
}

TEST_CASE("the same uploads sent to two connections at once are stored once each, one sync_seq an upload",
          "[sync][store][engines]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto other = store::open_database(hub.database.location());
    auto sian = hub.id_of_trn("1234567");
    constexpr int uploads = 20, per_upload = 50;
    std::vector<std::vector<CheckIn>> batches(uploads);
    for (int u = 0; u < uploads; ++u)
        for (int i = 0; i < per_upload; ++i) {
            std::int64_t seq = u * per_upload + i + 1;
            batches[u].push_back(record(hub, "kiosk-a", seq, sian, now + seq));
        }
    std::latch start(2);
    std::atomic<int> stored = 0, taken = 0, clashed = 0;
    auto send_all = [&](db::Database& db) {
        start.arrive_and_wait();
        for (const auto& batch : batches) {
            auto r = upload(db, batch, now + 100);
            stored += r[store::UploadWriter::Result::stored];
            taken += r[store::UploadWriter::Result::uuid_taken];
            clashed += r[store::UploadWriter::Result::sequence_taken];
        }
    };
    std::thread a(send_all, std::ref(*hub.db)), b(send_all, std::ref(*other));
    a.join();
    b.join();
    CHECK(stored == uploads * per_upload);
    CHECK(taken == uploads * per_upload);
    CHECK(clashed == 0);
    CHECK(count(*hub.db, "SELECT count(*) FROM check_ins") == uploads * per_upload);
    CHECK(count(*hub.db, "SELECT count(DISTINCT uuid) FROM check_ins") == uploads * per_upload);
    // Each upload was stored whole by one of them: one sync_seq per 50 records.
    CHECK(count(*hub.db, "SELECT count(DISTINCT sync_seq) FROM check_ins") == uploads);
}

TEST_CASE("a device paging while another connection ingests gets every record once, in order", "[sync][store][engines]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto writer = store::open_database(hub.database.location());
    auto sian = hub.id_of_trn("1234567");
    std::int64_t since = store::read_changes(*hub.db, "kiosk-b", hub.event, 0, 1000).cursor;
    constexpr int uploads = 40, per_upload = 5;
    std::atomic<bool> done = false;
    std::thread ingest([&] {
        for (int u = 0; u < uploads; ++u) {
            std::vector<CheckIn> batch;
            for (int i = 0; i < per_upload; ++i) {
                std::int64_t seq = u * per_upload + i + 1;
                batch.push_back(record(hub, "kiosk-a", seq, sian, now + seq));
            }
            upload(*writer, batch, now + 100);
        }
        done = true;
    });
    std::vector<std::int64_t> seen;  // device_seq of each record downloaded, in order
    auto read_page = [&] {
        auto page = store::read_changes(*hub.db, "kiosk-b", hub.event, since, 7);
        for (const auto& c : page.check_ins) seen.push_back(c.device_seq);
        since = page.cursor;
        return page.more;
    };
    while (!done) read_page();
    ingest.join();
    while (read_page()) {
    }
    read_page();
    // Every record once; uploads in the order they were stored (within one upload, rows
    // share a sync_seq and come in no promised order).
    REQUIRE(seen.size() == uploads * per_upload);
    CHECK(std::set<std::int64_t>(seen.begin(), seen.end()).size() == seen.size());
    for (std::size_t i = 1; i < seen.size(); ++i) CHECK((seen[i - 1] - 1) / per_upload <= (seen[i] - 1) / per_upload);
}
