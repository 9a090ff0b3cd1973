#include "sync_client.hpp"

#include "backoff.hpp"
#include "device_sync_store.hpp"
#include "http_client.hpp"

#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/config_error.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>

namespace muster::kiosk {
namespace {

sync::DeviceSecret load_secret(const std::filesystem::path& file) {
    std::ifstream f(file);
    if (!f) throw ConfigError("server.secret: cannot read " + file.string() + " (provision the device with: muster device add)");
    std::string hex;
    f >> hex;
    auto s = sync::secret_from_hex(hex);
    if (!s) throw ConfigError("server.secret: " + file.string() + " does not hold a 64-hex-digit device secret");
    return *s;
}

std::string error_text(const HttpResult& r) {
    if (r.status == 0) return r.error;
    try {
        return "server said " + std::to_string(r.status) + ": " + sync::parse_error_reply(r.body).error;
    } catch (const std::exception&) {
        return "server said " + std::to_string(r.status);
    }
}

// A 401 for the request's time (outside the server's window): worth one retry at once,
// signed with the offset just learned from X-Muster-Server-Time.
bool about_time(const HttpResult& r) {
    std::string error;
    try {
        error = sync::parse_error_reply(r.body).error;
    } catch (const std::exception&) {
        return false;
    }
    for (auto& ch : error) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return error.find("time") != std::string::npos;
}

}  // namespace

struct SyncClient::Impl {
    Impl(const SyncSettings& c, WallClock wall_clock)
        : config(c), secret(load_secret(c.secret_file)), http(c.server_url, c.certificate), store(c.database),
          now(wall_clock ? wall_clock : &uk_time::now_ms) {
        clock_offset_ms = store.sync_state().clock_offset_ms;  // learned before the restart
    }

    SyncSettings config;
    sync::DeviceSecret secret;
    HttpClient http;
    DeviceSyncStore store;
    Backoff backoff;
    std::int64_t clock_offset_ms = 0;
    std::size_t batch_limit = sync::max_batch_records;
    WallClock now;

    // A signed request; a kept-alive connection the server had closed is retried once on a
    // fresh one, re-signed (a new nonce), and so is a refusal for a stale clock once the
    // server's time is known.
    HttpResult call(const std::string& method, const std::string& target, const std::string& body) {
        HttpResult r;
        for (int attempt = 0; attempt < 3; ++attempt) {
            TimeMs sent_at = now();
            TimeMs signed_time = sent_at + clock_offset_ms;
            auto nonce = sync::random_nonce();
            std::map<std::string, std::string> headers = {
                {std::string(sync::header_device), config.device_id},
                {std::string(sync::header_time), std::to_string(signed_time)},
                {std::string(sync::header_nonce), nonce},
                {std::string(sync::header_signature), sync::sign_request(secret, method, target, signed_time, nonce, body)}};
            r = http.request(method, target, headers, body);
            if (r.server_time_ms) {
                TimeMs received_at = now();
                clock_offset_ms = *r.server_time_ms - (sent_at + received_at) / 2;
            }
            bool stale_connection = r.status == 0 && r.reused_connection;
            bool stale_clock = r.status == 401 && about_time(r);
            if (!stale_connection && !(stale_clock && attempt == 0)) break;
        }
        return r;
    }
};

SyncClient::SyncClient(const SyncSettings& config, WallClock clock) {
    try {
        impl_ = std::make_unique<Impl>(config, clock);
    } catch (const std::invalid_argument& e) {
        throw ConfigError(std::string("server: ") + e.what());
    }
    status_.queued = impl_->store.pending();
    status_.rejected = impl_->store.rejected();
    auto stored = impl_->store.sync_state();  // so staff see "last sync 14:02" before the first exchange
    status_.last_ok_ms = stored.last_ok_ms;
    status_.last_error = stored.last_error;
    status_.clock_offset_ms = stored.clock_offset_ms;
    status_.clock_flagged = std::llabs(stored.clock_offset_ms) > sync::clock_skew_flag_ms;
}

SyncClient::~SyncClient() { stop(); }

void SyncClient::start() {
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void SyncClient::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        impl_->http.cancel();  // a request in flight to a silent server ends now, not at its timeout
        thread_.join();
    }
}

void SyncClient::nudge() {
    {
        std::lock_guard lock(mutex_);
        nudged_ = true;
    }
    wake_.notify_all();
}

bool SyncClient::flush(std::chrono::milliseconds within) {
    {
        std::lock_guard lock(mutex_);
        nudged_ = true;
        flush_now_ = true;
    }
    wake_.notify_all();
    auto deadline = std::chrono::steady_clock::now() + within;
    std::unique_lock lock(mutex_);
    return wake_.wait_until(lock, deadline, [&] { return (status_.queued == 0 && !nudged_ && !flush_now_) || status_.revoked; }) &&
           status_.queued == 0;
}

SyncStatus SyncClient::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void SyncClient::run() {
    using clock = std::chrono::steady_clock;
    auto& s = *impl_;
    auto next_pull = clock::now();
    std::optional<clock::time_point> retry_at;
    const auto poll = s.config.poll;

    // Keeps what staff see across a restart (only what changed is written).
    auto persist = [&] {
        StoredSyncState st;
        {
            std::lock_guard lock(mutex_);
            st = {status_.last_ok_ms, status_.last_error, status_.clock_offset_ms};
        }
        try {
            s.store.save_sync_state(st);
        } catch (const std::exception&) {
            // The desk holds the write lock for long: the next outcome writes it.
        }
    };
    auto stopping = [&] {
        std::lock_guard lock(mutex_);
        return stopping_;
    };

    // Records one exchange's outcome in the status (and backoff when it failed).
    auto outcome = [&](bool ok, const std::string& error) {
        std::unique_lock lock(mutex_);
        status_.clock_offset_ms = s.clock_offset_ms;
        status_.clock_flagged = std::llabs(s.clock_offset_ms) > sync::clock_skew_flag_ms;
        if (ok) {
            s.backoff.reset();
            retry_at.reset();
            status_.online = true;
            status_.last_error.clear();
            status_.next_retry_ms.reset();
            status_.last_ok_ms = s.now();
        } else {
            auto delay = s.backoff.next_delay();
            retry_at = clock::now() + delay;
            status_.online = false;
            status_.last_error = error;
            status_.next_retry_ms = s.now() + delay.count();
        }
        lock.unlock();
        persist();
    };

    // The hub cut this device off: it keeps scanning and keeping its records, and says so.
    auto revoked = [&]() -> bool {
        std::lock_guard lock(mutex_);
        status_.revoked = true;
        status_.online = false;
        status_.last_error = "this device was revoked by the hub; its records stay on it";
        return false;
    };
    auto revoked_and_saved = [&]() -> bool {
        revoked();
        persist();
        return false;
    };

    auto takes_empty_batch = [&] {
        sync::UploadBatch empty;
        empty.device_time_ms = s.now();
        return s.call("POST", "/v1/upload", sync::to_json(empty)).status == 200;
    };

    // Sends the outbox until it is empty; false when the server could not be reached.
    auto upload = [&]() -> bool {
        for (;;) {
            if (stopping()) return true;  // the rest waits for the next start
            auto batch = s.store.next_batch(s.batch_limit, s.now());
            if (batch.check_ins.empty() && batch.corrections.empty()) {
                s.batch_limit = sync::max_batch_records;
                return true;
            }
            auto r = s.call("POST", "/v1/upload", sync::to_json(batch));
            if (r.status == 0 && stopping()) return true;  // cancelled by stop(): not a failure to record
            if (r.status == 200) {
                auto reply = sync::parse_upload_reply(r.body);
                s.store.acknowledge(reply.acked);
                s.store.reject(reply.rejected);
                std::lock_guard lock(mutex_);
                status_.online = true;  // an acknowledgement proves it; staff should not see "offline" here
                status_.last_error.clear();
                status_.last_ok_ms = s.now();
                status_.sent += reply.acked.size();
                status_.queued = s.store.pending();
                status_.rejected = s.store.rejected();
                continue;
            }
            if (r.status == 403) return revoked_and_saved();
            if (r.status == 400 && !takes_empty_batch()) {
                // The server refuses even a batch with no records: the fault is not in these
                // records (a client or server bug, something in between), so narrowing down
                // would refuse the whole outbox for good, one record at a time. Retry later.
                s.batch_limit = sync::max_batch_records;
                s.store.note_failure(batch, error_text(r));
                outcome(false, error_text(r));
                return false;
            }
            if ((r.status == 400 || r.status == 413) && batch.check_ins.size() + batch.corrections.size() > 1) {
                s.batch_limit = std::max<std::size_t>(1, s.batch_limit / 4);  // find the one record it refuses
                continue;
            }
            if (r.status == 400 || r.status == 413) {
                // One record the server cannot take at all: keep it, stop sending it, tell staff.
                std::string uuid = batch.check_ins.empty() ? batch.corrections[0].uuid : batch.check_ins[0].uuid;
                s.store.reject({{uuid, error_text(r)}});
                s.batch_limit = sync::max_batch_records;
                continue;
            }
            s.batch_limit = sync::max_batch_records;
            s.store.note_failure(batch, error_text(r));
            outcome(false, error_text(r));
            return false;
        }
    };

    auto pull = [&]() -> bool {
        for (int pages = 0; pages < 100; ++pages) {
            if (stopping()) return true;
            auto r = s.call("GET", "/v1/changes?since=" + std::to_string(s.store.cursor()), "");
            if (r.status == 0 && stopping()) return true;
            if (r.status == 403) return revoked_and_saved();
            if (r.status != 200) {
                outcome(false, error_text(r));
                return false;
            }
            auto changes = sync::parse_changes(r.body);
            bool anything = !changes.participants.empty() || !changes.events.empty() || !changes.sessions.empty() ||
                            !changes.rooms.empty() || !changes.enrolments.empty() || !changes.badges.empty() ||
                            !changes.nfc_cards.empty() || !changes.check_ins.empty() || !changes.corrections.empty();
            s.store.apply(changes);
            if (anything) ++generation_;
            if (!changes.more) return true;
        }
        return true;
    };

    for (;;) {
        {
            std::unique_lock lock(mutex_);
            auto until = next_pull;
            if (retry_at) until = *retry_at;
            wake_.wait_until(lock, until,
                             [&] { return stopping_ || (nudged_ && !retry_at) || flush_now_ || status_.revoked; });
            if (stopping_) return;
            if (status_.revoked) {
                wake_.notify_all();
                wake_.wait(lock, [&] { return stopping_; });
                return;
            }
            nudged_ = false;  // this pass sends whatever the nudge was for
            if (flush_now_) retry_at.reset();
            flush_now_ = false;
        }
        if (retry_at && clock::now() < *retry_at) continue;  // still backing off
        try {
            bool ok = upload();
            if (ok && (clock::now() >= next_pull || retry_at)) {
                ok = pull();
                next_pull = clock::now() + poll;
            }
            if (stopping()) return;
            if (ok) outcome(true, "");
        } catch (const std::exception& e) {
            // A reply we could not read, or the local database busy: retry later; nothing was
            // removed from the outbox that the server had not acknowledged.
            outcome(false, e.what());
        }
        {
            std::lock_guard lock(mutex_);
            status_.queued = s.store.pending();
            status_.rejected = s.store.rejected();
        }
        wake_.notify_all();  // flush() waiters
    }
}

std::string describe(const SyncStatus& st) {
    std::string out;
    if (st.revoked) out = "REVOKED by the hub";
    else out = st.online ? "online" : "offline";
    out += ", " + std::to_string(st.queued) + " queued";
    if (st.rejected) out += ", " + std::to_string(st.rejected) + " refused by the hub";
    out += st.last_ok_ms ? ", last sync " + uk_time::format_hhmm(*st.last_ok_ms) : ", never synced";
    if (!st.online && st.next_retry_ms) {
        auto in = (*st.next_retry_ms - uk_time::now_ms() + 999) / 1000;
        out += ", retrying in " + std::to_string(std::max<long long>(0, in)) + " s";
    }
    if (!st.online && !st.last_error.empty()) out += " (" + st.last_error + ")";
    if (st.clock_flagged) {
        auto minutes = std::llabs(st.clock_offset_ms) / 60'000;
        out += std::string(", DEVICE CLOCK ") + std::to_string(minutes) + " min " + (st.clock_offset_ms < 0 ? "fast" : "slow");
    }
    return out;
}

}  // namespace muster::kiosk
