// The delivery worker's and staff's side of the outbox (central_outbox.hpp): claims in
// version order, results, release after a stopped server, retry of rejected entries, and
// the counts staff see per event and target.
#include "central_fixture.hpp"

#include "muster/store/schema.hpp"

#include <array>
#include <exception>
#include <latch>
#include <memory>
#include <set>
#include <thread>

using namespace muster;
using store::CorrectionOutcome;
using store::DeliveryResult;
using store::DeliveryState;
using store::StaffAction;

TEST_CASE("A claim never hands out a version while an older one is being sent", "[central][outbox][worker][engines]") {
    test::CentralHub h;
    h.ready();
    const TimeMs t = h.signed_at + 10;
    auto first = store::claim_due_deliveries(h.db, "crm", 100, t);
    REQUIRE(first.size() == 5);
    for (const auto& i : first) {
        CHECK(i.version == 1);
        CHECK(i.attempts == 1);
        CHECK_FALSE(i.correction);
        CHECK(i.idempotency_key == "crm:" + i.record_id + ":1");
        CHECK(central::parse_central_record(i.payload).record_id == i.record_id);
    }
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'sending' AND attempts = 1") == 5);
    CHECK(store::claim_due_deliveries(h.db, "crm", 100, t).empty());  // nothing twice

    // Version 2 of Rhys's record is queued while version 1 is on its way: it follows it.
    REQUIRE(h.amend(h.correction(StaffAction::absent, h.rhys, "not ill after all"), t + 5).outcome ==
            CorrectionOutcome::stored);
    CHECK(h.entry(h.rhys, 1, "crm") == "sending");  // never superseded while sending
    CHECK(h.entry(h.rhys, 2, "crm") == "pending/correction");
    CHECK(store::claim_due_deliveries(h.db, "crm", 100, t + 10).empty());

    // Version 1 comes back to retry later: version 2 still waits for it.
    const auto v1 = h.delivery(h.rhys, 1, "crm");
    std::vector<DeliveryResult> retry{{v1, DeliveryResult::Kind::retry, 503, "busy", {}, t + 60'000}};
    store::record_delivery_results(h.db, retry, t + 20);
    CHECK(store::claim_due_deliveries(h.db, "crm", 100, t + 30).empty());
    CHECK(store::next_delivery_due(h.db, "crm") == t + 60'000);
    auto again = store::claim_due_deliveries(h.db, "crm", 100, t + 60'000);
    REQUIRE(again.size() == 1);
    CHECK(again[0].version == 1);
    CHECK(again[0].attempts == 2);
    std::vector<DeliveryResult> ok{{v1, DeliveryResult::Kind::delivered, 200, "", "crm-77", 0}};
    store::record_delivery_results(h.db, ok, t + 60'001);
    auto second = store::claim_due_deliveries(h.db, "crm", 100, t + 60'002);
    REQUIRE(second.size() == 1);
    CHECK(second[0].version == 2);
    CHECK(second[0].correction);
    CHECK(second[0].record_id == again[0].record_id);
}

TEST_CASE("With several processes on one outbox only a claim older than its lease is released, and only its target's",
          "[central][outbox][worker][engines]") {
    test::CentralHub h;
    h.ready();
    const TimeMs t = h.signed_at + 10;
    const TimeMs lease = 120'000;
    auto claimed = store::claim_due_deliveries(h.db, "crm", 2, t);  // another process, still sending
    REQUIRE(claimed.size() == 2);
    // A process starting a minute later leaves them: they may still be on their way.
    CHECK(store::release_interrupted_deliveries(h.db, t + 60'000, "crm", lease) == 0);
    // Another target's name releases nothing of this one's, however old.
    CHECK(store::release_interrupted_deliveries(h.db, t + 10 * lease, "other", lease) == 0);
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE state = 'sending'") == 2);
    // Past the lease, the process that claimed them is taken to be dead: they are pending again.
    CHECK(store::release_interrupted_deliveries(h.db, t + lease, "crm", lease) == 2);
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE state = 'sending'") == 0);
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'pending' AND attempts = 1 "
                  "AND next_attempt_ms = " + std::to_string(t + lease)) == 2);
}

TEST_CASE("Entries a stopped server left sending are released at start", "[central][outbox][worker][engines]") {
    test::CentralHub h;
    h.ready();
    const TimeMs t = h.signed_at + 10;
    auto claimed = store::claim_due_deliveries(h.db, "crm", 3, t);
    REQUIRE(claimed.size() == 3);
    // The server is killed here; at the next start:
    CHECK(store::release_interrupted_deliveries(h.db, t + 1000) == 3);
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE state = 'sending'") == 0);
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'pending' AND attempts = 1 "
                  "AND next_attempt_ms = " + std::to_string(t + 1000)) == 3);
    CHECK(store::release_interrupted_deliveries(h.db, t + 1001) == 0);

    // A result that arrives for an entry no longer sending is left alone.
    std::vector<DeliveryResult> late{{claimed[0].delivery_id, DeliveryResult::Kind::delivered, 200, "", "x", 0}};
    store::record_delivery_results(h.db, late, t + 1002);
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE state = 'delivered'") == 0);

    auto again = store::claim_due_deliveries(h.db, "crm", 100, t + 1003);
    CHECK(again.size() == 5);
    std::set<int> attempts;
    for (const auto& i : again) attempts.insert(i.attempts);
    CHECK(attempts == std::set<int>{1, 2});
}

TEST_CASE("Results are recorded: retries wait their time, rejections wait for a person", "[central][outbox][worker][engines]") {
    test::CentralHub h;
    h.ready();
    const TimeMs t = h.signed_at + 10;
    auto items = store::claim_due_deliveries(h.db, "crm", 100, t);
    REQUIRE(items.size() == 5);
    std::vector<DeliveryResult> results;
    results.push_back({items[0].delivery_id, DeliveryResult::Kind::delivered, 201, "", "crm-1", 0});
    results.push_back({items[1].delivery_id, DeliveryResult::Kind::retry, 429, "rate limited", {}, t + 30'000});
    results.push_back({items[2].delivery_id, DeliveryResult::Kind::retry, std::nullopt, "timed out", {}, t + 5'000});
    results.push_back({items[3].delivery_id, DeliveryResult::Kind::rejected, 422, "field school_urn: invalid", {}, 0});
    results.push_back({items[4].delivery_id, DeliveryResult::Kind::delivered, 200, "", std::nullopt, 0});
    store::record_delivery_results(h.db, results, t + 1);

    CHECK(store::claim_due_deliveries(h.db, "crm", 100, t + 4'999).empty());
    CHECK(store::next_delivery_due(h.db, "crm") == t + 5'000);
    auto timed_out = store::claim_due_deliveries(h.db, "crm", 100, t + 5'000);
    REQUIRE(timed_out.size() == 1);
    CHECK(timed_out[0].delivery_id == items[2].delivery_id);
    CHECK(timed_out[0].attempts == 2);
    CHECK(store::next_delivery_due(h.db, "crm") == t + 30'000);
    auto limited = store::claim_due_deliveries(h.db, "crm", 100, t + 30'000);
    REQUIRE(limited.size() == 1);
    CHECK(limited[0].delivery_id == items[1].delivery_id);
    CHECK_FALSE(store::next_delivery_due(h.db, "crm"));
    // The rejected one is never due by itself.
    CHECK(store::claim_due_deliveries(h.db, "crm", 100, t + 365LL * 86'400'000).empty());

    auto page = *store::event_deliveries(h.db, h.event);
    CHECK(page.size() == 10);
    const store::RecordDelivery* rejected = nullptr;
    const store::RecordDelivery* delivered = nullptr;
    for (const auto& d : page) {
        if (d.delivery_id == items[3].delivery_id) rejected = &d;
        if (d.delivery_id == items[0].delivery_id) delivered = &d;
    }
    REQUIRE(rejected);
    CHECK(rejected->state == DeliveryState::rejected);
    CHECK(rejected->last_status == 422);
    CHECK(rejected->last_error == "field school_urn: invalid");
    CHECK_FALSE(rejected->next_attempt_ms);
    REQUIRE(delivered);
    CHECK(delivered->state == DeliveryState::delivered);
    CHECK(delivered->remote_id == "crm-1");
    CHECK(delivered->delivered_ms == t + 1);

    // Retry after the fix: not for another target or event, then for this one.
    CHECK(store::retry_rejected(h.db, {std::nullopt, std::nullopt, std::string("files")}, "Bea Admin", t + 40'000) == 0);
    CHECK(store::retry_rejected(h.db, {std::nullopt, h.event + 100, std::nullopt}, "Bea Admin", t + 40'000) == 0);
    CHECK(store::retry_rejected(h.db, {items[3].delivery_id, h.event, std::string("crm")}, "Bea Admin", t + 40'000) == 1);
    CHECK(store::retry_rejected(h.db, {items[3].delivery_id, std::nullopt, std::nullopt}, "Bea Admin", t + 40'001) == 0);
    page = *store::event_deliveries(h.db, h.event);
    for (const auto& d : page)
        if (d.delivery_id == items[3].delivery_id) {
            CHECK(d.state == DeliveryState::pending);
            CHECK(d.retried_by == "Bea Admin");
            CHECK(d.next_attempt_ms == t + 40'000);
            CHECK(d.attempts == 1);  // kept
        }
    auto retried = store::claim_due_deliveries(h.db, "crm", 100, t + 40'000);
    REQUIRE(retried.size() == 1);
    CHECK(retried[0].delivery_id == items[3].delivery_id);
    CHECK(retried[0].attempts == 2);
}

TEST_CASE("Staff see delivery counts per event and target", "[central][outbox][staff][engines]") {
    test::CentralHub h;
    CHECK(store::central_status(h.db).empty());
    h.ready();
    const TimeMs t = h.signed_at + 10;
    auto items = store::claim_due_deliveries(h.db, "crm", 3, t);
    std::vector<DeliveryResult> results{{items[0].delivery_id, DeliveryResult::Kind::delivered, 200, "", {}, 0},
                                        {items[1].delivery_id, DeliveryResult::Kind::rejected, 400, "bad", {}, 0}};
    store::record_delivery_results(h.db, results, t + 1);  // items[2] stays sending
    REQUIRE(h.amend(h.correction(StaffAction::absent, h.rhys, "not ill after all"), t + 5).outcome ==
            CorrectionOutcome::stored);

    auto status = store::central_status(h.db);
    REQUIRE(status.size() == 1);
    const auto& e = status[0];
    CHECK(e.event_id == h.event);
    CHECK(e.local_date == "2025-10-01");
    CHECK(e.signed_off_ms == h.signed_at);
    CHECK(e.records == 5);
    CHECK(e.last_delivered_ms == t + 1);
    REQUIRE(e.targets.size() == 2);
    CHECK(e.targets[0].target == "crm");
    CHECK(e.targets[0].kind == store::TargetKind::https);
    CHECK(e.targets[0].active);
    const auto& crm = e.targets[0].counts;
    const auto& files = e.targets[1].counts;
    CHECK(files.pending == 5);  // four v1 and Rhys's v2
    CHECK(files.superseded == 1);
    // Claimed in queue order (rows by name): Grace delivered, Rhys rejected (then superseded by
    // his version 2), Kwame still sending; Siân, Zoë and Rhys's version 2 pending.
    CHECK(crm.delivered == 1);
    CHECK(crm.rejected == 0);
    CHECK(crm.superseded == 1);
    CHECK(crm.sending == 1);
    CHECK(crm.pending == 3);
    CHECK(h.entry(h.rhys, 2, "crm") == "pending");  // the rejected version 1 never arrived

    auto totals = store::central_totals(h.db);
    REQUIRE(totals.size() == 3);  // "old" too, inactive and idle
    CHECK(totals[0].target == "crm");
    CHECK(totals[1].target == "files");
    CHECK(totals[1].counts.pending == 5);
    CHECK(totals[2].target == "old");
    CHECK_FALSE(totals[2].active);
    CHECK(totals[2].counts.pending == 0);

    auto page = *store::event_deliveries(h.db, h.event);
    CHECK(page.size() == 12);
    // By name (Grace Hughes first), then version, then target.
    CHECK(page[0].full_name == "Grace Hughes");
    CHECK(page[0].target == "crm");
    CHECK(page[1].target == "files");
    std::vector<int> rhys_versions;
    for (const auto& d : page)
        if (d.participant_id == h.rhys) rhys_versions.push_back(d.version);
    CHECK(rhys_versions == std::vector<int>{1, 1, 2, 2});
    CHECK_FALSE(store::event_deliveries(h.db, 9999));
    CHECK(store::event_deliveries(h.db, h.event)->back().status == AttendanceStatus::present);  // Zoë, last by name
}

TEST_CASE("Targets are registered from the server's file", "[central][outbox][targets][engines]") {
    test::CentralHub h;
    CHECK(store::valid_target_name("crm-main_2"));
    CHECK_FALSE(store::valid_target_name(""));
    CHECK_FALSE(store::valid_target_name("CRM"));
    CHECK_FALSE(store::valid_target_name("a b"));
    CHECK_FALSE(store::valid_target_name(std::string(41, 'a')));
    CHECK(store::valid_target_name(std::string(40, 'a')));
    std::vector<store::CentralTarget> bad{{"Bad Name", store::TargetKind::csv}};
    CHECK_THROWS_AS(store::register_central_targets(h.db, bad, 1), std::invalid_argument);

    std::vector<store::CentralTarget> first{{"crm", store::TargetKind::https}, {"lp", store::TargetKind::evidence_csv}};
    store::register_central_targets(h.db, first, 1);
    std::vector<store::CentralTarget> second{{"lp", store::TargetKind::csv}};
    store::register_central_targets(h.db, second, 2);
    auto active = store::active_central_targets(h.db);
    REQUIRE(active.size() == 1);
    CHECK(active[0].name == "lp");
    CHECK(active[0].kind == store::TargetKind::csv);  // a changed kind is updated
    CHECK(h.count("SELECT count(*) FROM central_targets WHERE name = 'crm' AND active = 0") == 1);
    store::register_central_targets(h.db, first, 3);
    CHECK(store::active_central_targets(h.db).size() == 2);
    CHECK(h.count("SELECT added_ms FROM central_targets WHERE name = 'crm'") == 1);  // first registered

    CHECK(store::to_string(store::TargetKind::evidence_csv) == "evidence-csv");
    CHECK(store::parse_target_kind("evidence-csv") == store::TargetKind::evidence_csv);
    CHECK_FALSE(store::parse_target_kind("ftp"));
    for (auto s : {DeliveryState::pending, DeliveryState::sending, DeliveryState::delivered, DeliveryState::rejected,
                   DeliveryState::superseded})
        CHECK(store::parse_delivery_state(store::to_string(s)) == s);
    CHECK_FALSE(store::parse_delivery_state("lost"));
}

TEST_CASE("A version rejected while a newer one waits behind it gives way to it", "[central][outbox][worker][engines]") {
    test::CentralHub h;
    h.ready();
    const TimeMs t = h.signed_at + 10;
    REQUIRE(store::claim_due_deliveries(h.db, "crm", 100, t).size() == 5);
    REQUIRE(h.amend(h.correction(StaffAction::absent, h.rhys, "not ill after all"), t + 5).outcome ==
            CorrectionOutcome::stored);
    REQUIRE(h.entry(h.rhys, 2, "crm") == "pending/correction");  // version 1 was on its way
    // The target refuses version 1: it never arrived, so version 2 is no correction, and
    // version 1 is never sent after it.
    std::vector<DeliveryResult> refused{{h.delivery(h.rhys, 1, "crm"), DeliveryResult::Kind::rejected, 422, "bad", {}, 0}};
    store::record_delivery_results(h.db, refused, t + 10);
    CHECK(h.entry(h.rhys, 1, "crm") == "superseded");
    CHECK(h.entry(h.rhys, 2, "crm") == "pending");
    CHECK(store::retry_rejected(h.db, {h.delivery(h.rhys, 1, "crm"), std::nullopt, std::nullopt}, "Bea Admin", t + 20) == 0);
    auto next = store::claim_due_deliveries(h.db, "crm", 100, t + 30);
    REQUIRE(next.size() == 1);
    CHECK(next[0].version == 2);
    CHECK_FALSE(next[0].correction);

    // Rejected with nothing behind it: it stays rejected, for staff to see.
    std::vector<DeliveryResult> sian{{h.delivery(h.sian, 1, "crm"), DeliveryResult::Kind::rejected, 422, "bad", {}, 0}};
    store::record_delivery_results(h.db, sian, t + 40);
    CHECK(h.entry(h.sian, 1, "crm") == "rejected");
}

// Several server processes each run a delivery worker on the one hub database (docs/scale.md):
// a claim reads the due entries and marks them sending inside one write transaction, which
// PostgreSQL serializes by the store's advisory lock as SQLite does by its write lock. Two
// workers on two connections, claiming at once in small batches, must never both hand out
// the same entry, and between them hand out every one.
TEST_CASE("Two delivery workers claiming at once never claim the same entry twice", "[central][outbox][worker][engines]") {
    test::CentralHub h;
    h.ready();
    const TimeMs t = h.signed_at + 10;
    // Many more entries than the usual day's: each a version 1 (nothing holds one back).
    {
        db::Transaction tx(h.db);
        auto& record = h.db.cached("INSERT INTO central_records (record_id, version, event_id, participant_id, created_ms, "
                                   "cause, payload) VALUES (?1, 1, ?2, ?3, ?4, 'sign_off', '{}') RETURNING id");
        auto& entry = h.db.cached("INSERT INTO central_deliveries (target, record_row, state, attempts, next_attempt_ms, "
                                  "correction, queued_ms, updated_ms) VALUES ('crm', ?1, 'pending', 0, ?2, 0, ?2, ?2)");
        for (int i = 0; i < 400; ++i) {
            record.bind_all("load-" + std::to_string(i), h.event, 1'000'000 + i, t);
            const auto row = *record.query_one([](const db::Statement& r) { return r.int64(0); });
            entry.bind_all(row, t).run();
        }
        tx.commit();
    }
    const auto due = h.count("SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'pending'");
    REQUIRE(due == 405);

    struct Worker {
        std::unique_ptr<db::Database> db;
        std::vector<std::int64_t> claimed;
        std::exception_ptr failed;
    };
    std::array<Worker, 2> workers;
    for (auto& w : workers) w.db = store::open_database(h.hub.database.location());  // a connection each
    std::latch start(2);
    auto work = [&](Worker& w) {
        try {
            start.arrive_and_wait();
            for (;;) {
                auto items = store::claim_due_deliveries(*w.db, "crm", 3, t + 1);
                if (items.empty()) return;  // every due entry is claimed (by one or the other)
                std::vector<DeliveryResult> results;
                for (const auto& i : items) {
                    w.claimed.push_back(i.delivery_id);
                    results.push_back({i.delivery_id, DeliveryResult::Kind::delivered, 201, "", "r-" + i.record_id, 0});
                }
                store::record_delivery_results(*w.db, results, t + 2);
            }
        } catch (...) {
            w.failed = std::current_exception();
        }
    };
    std::thread a(work, std::ref(workers[0])), b(work, std::ref(workers[1]));
    a.join();
    b.join();
    for (auto& w : workers)
        if (w.failed) std::rethrow_exception(w.failed);

    std::set<std::int64_t> all;
    std::size_t handed_out = 0;
    for (const auto& w : workers) {
        handed_out += w.claimed.size();
        all.insert(w.claimed.begin(), w.claimed.end());
    }
    INFO("claims: " << workers[0].claimed.size() << " and " << workers[1].claimed.size());
    CHECK(handed_out == all.size());  // no entry twice
    CHECK(all.size() == static_cast<std::size_t>(due));
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'delivered' AND attempts = 1") ==
          due);
}
