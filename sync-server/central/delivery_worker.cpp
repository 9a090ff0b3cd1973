// The delivery worker (delivery_worker.hpp, docs/central.md "Delivery").
#include "delivery_worker.hpp"

#include "retry_policy.hpp"

#include "muster/store/central_outbox.hpp"
#include "muster/store/schema.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

namespace muster::central {

using Kind = store::DeliveryResult::Kind;

struct DeliveryWorker::Impl {
    Impl(std::string d, CentralConfig c, log::Logger& l, Clock k, std::vector<std::unique_ptr<DeliveryTarget>> t)
        : database(std::move(d)), config(std::move(c)), log(l), clock(std::move(k)), targets(std::move(t)) {}

    std::string database;  // a SQLite file or a postgresql:// URL
    CentralConfig config;
    log::Logger& log;
    Clock clock;
    std::vector<std::unique_ptr<DeliveryTarget>> targets;

    std::mutex mutex;
    std::condition_variable changed;
    bool stopping = false;
    bool started = false;
    std::uint64_t wakes = 0;  // wake() calls so far: a loop that saw the count change looks again
    std::vector<std::thread> threads;

    // Waits until wake(), stop(), the next due entry or poll_ms, whichever comes first.
    void idle(std::uint64_t seen, std::optional<TimeMs> due) {
        std::int64_t wait_ms = config.poll_ms;
        if (due) wait_ms = std::clamp<std::int64_t>(*due - clock(), 0, wait_ms);
        std::unique_lock lock(mutex);
        changed.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping || wakes != seen; });
    }

    bool should_stop() {
        std::lock_guard lock(mutex);
        return stopping;
    }

    std::uint64_t wake_count() {
        std::lock_guard lock(mutex);
        return wakes;
    }

    std::vector<store::DeliveryResult> results_of(const TargetConfig& target, std::span<const store::DeliveryItem> batch,
                                                  const std::vector<DeliveryOutcome>& outcomes, std::mt19937_64& random) {
        const RetryPolicy policy{target.backoff_initial_ms, target.backoff_max_ms};
        std::vector<store::DeliveryResult> results;
        const TimeMs now = clock();
        for (std::size_t i = 0; i < batch.size(); ++i) {
            DeliveryOutcome o = i < outcomes.size() ? outcomes[i] : DeliveryOutcome{Kind::retry, {}, "no outcome", {}, {}};
            store::DeliveryResult r;
            r.delivery_id = batch[i].delivery_id;
            r.kind = o.kind;
            r.http_status = o.http_status;
            r.error = o.error;
            r.remote_id = o.remote_id;
            if (o.kind == Kind::retry) r.next_attempt_ms = now + policy.delay_ms(batch[i].attempts, o.retry_after, random());
            results.push_back(std::move(r));
        }
        return results;
    }

    void log_batch(const TargetConfig& target, const std::vector<store::DeliveryResult>& results, std::int64_t took_ms) {
        int delivered = 0, retry = 0, rejected = 0;
        std::optional<int> status;
        std::string error;
        for (const auto& r : results) {
            if (r.http_status) status = r.http_status;
            if (r.kind == Kind::delivered) ++delivered;
            if (r.kind == Kind::retry) ++retry, error = r.error;
            if (r.kind == Kind::rejected) ++rejected;
        }
        // Counts, the last status and (for retries) the transport's or status's words: what the
        // target is doing, never what the records say.
        log.info("central_batch", {{"target", target.name}, {"records", results.size()}, {"delivered", delivered},
                                   {"retry", retry}, {"rejected", rejected}, {"status", status.value_or(0)},
                                   {"ms", took_ms}, {"error", retry > 0 ? error : std::string()}});
        if (rejected > 0)
            log.warn("central_rejected", {{"target", target.name}, {"records", rejected}, {"status", status.value_or(0)}});
    }

    void loop(std::size_t index) {
        const TargetConfig& target = config.targets[index];
        DeliveryTarget& sink = *targets[index];
        std::mt19937_64 random{std::random_device{}()};
        std::unique_ptr<db::Database> db;
        std::vector<store::DeliveryResult> unrecorded;  // outcomes the database refused once (busy): kept, tried again
        while (!should_stop()) {
            const std::uint64_t seen = wake_count();
            std::optional<TimeMs> due;
            try {
                if (!db) db = store::open_database(database);
                if (!unrecorded.empty()) {
                    store::record_delivery_results(*db, unrecorded, clock());
                    unrecorded.clear();
                }
                auto batch = store::claim_due_deliveries(*db, target.name, target.batch_size, clock());
                if (!batch.empty()) {
                    const auto started_at = std::chrono::steady_clock::now();
                    // No transaction is open here: device sync writes on while the CRM answers.
                    auto outcomes = sink.deliver(batch);
                    unrecorded = results_of(target, batch, outcomes, random);
                    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started_at);
                    store::record_delivery_results(*db, unrecorded, clock());
                    log_batch(target, unrecorded, took.count());
                    unrecorded.clear();
                    continue;  // more may be due at once
                }
                due = store::next_delivery_due(*db, target.name);
            } catch (const std::exception& e) {
                // A busy or failing database: look again after the poll interval. Entries left
                // `sending` are released at the next start.
                log.warn("central_worker_error", {{"target", target.name}, {"error", e.what()}});
                due.reset();
            }
            idle(seen, due);
        }
        if (!unrecorded.empty() && db) {
            try {
                store::record_delivery_results(*db, unrecorded, clock());
            } catch (const std::exception& e) {
                log.warn("central_worker_error", {{"target", target.name}, {"error", e.what()}});
            }
        }
    }
};

DeliveryWorker::DeliveryWorker(std::string database, CentralConfig config, log::Logger& log, Clock clock,
                               std::vector<std::unique_ptr<DeliveryTarget>> targets)
    : impl_(std::make_unique<Impl>(std::move(database), std::move(config), log, std::move(clock), std::move(targets))) {
    if (impl_->targets.size() != impl_->config.targets.size())
        throw std::invalid_argument("DeliveryWorker: one target per configured target");
}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
    auto& s = *impl_;
    if (s.started) return;
    {
        auto db = store::open_database(s.database);
        std::vector<store::CentralTarget> listed;
        for (const auto& t : s.config.targets) listed.push_back({t.name, t.kind});
        store::register_central_targets(*db, listed, s.clock());
        const int released = store::release_interrupted_deliveries(*db, s.clock());
        if (released > 0) s.log.info("central_released", {{"entries", released}});
    }
    s.started = true;
    for (std::size_t i = 0; i < s.targets.size(); ++i) s.threads.emplace_back([&s, i] { s.loop(i); });
}

void DeliveryWorker::wake() {
    std::lock_guard lock(impl_->mutex);
    ++impl_->wakes;
    impl_->changed.notify_all();
}

void DeliveryWorker::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
        impl_->changed.notify_all();
    }
    for (auto& t : impl_->threads)
        if (t.joinable()) t.join();
    impl_->threads.clear();
}

}  // namespace muster::central
