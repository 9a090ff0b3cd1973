#include "sync_client.hpp"

#include "sync_pass.hpp"

#include "muster/util/config_error.hpp"

#include <cstdlib>
#include <stdexcept>

namespace muster::kiosk {

SyncClient::SyncClient(const SyncSettings& settings, WallClock clock, log::Logger* logger) : settings_(settings), log_(logger) {
    // One choice of server for the sync thread and the listener: they move together.
    auto servers = std::make_shared<ServerChoice>(settings.server_urls.size());
    servers->on_switch([this](std::size_t from, std::size_t to) {
        board_.update([&](SyncStatus& st) { st.server = to; });
        // Indexes only (in server.url, from 0): the URLs say nothing personal, but an index
        // is what staff match against the device file.
        if (log_)
            log_->warn("sync_server_switched", {{"device", settings_.device_id},
                                                {"from", static_cast<std::int64_t>(from)},
                                                {"to", static_cast<std::int64_t>(to)}});
    });
    try {
        link_ = std::make_unique<HubLink>(settings, clock, servers);
    } catch (const std::invalid_argument& e) {
        throw ConfigError(std::string("server: ") + e.what());
    }
    link_->hub.on_request([this](bool in_flight) { board_.update([&](SyncStatus& st) { st.request_in_flight = in_flight; }); });
    auto stored = link_->store.sync_state();  // so staff see "last sync 14:02" before the first exchange
    cursor_ = link_->store.cursor();
    if (settings.push) {
        try {
            listener_ = std::make_unique<ChangeListener>(
                settings, clock, stored.clock_offset_ms, [this] { return cursor_.load(); }, [this] { changes_heard(); },
                logger, servers);
        } catch (const std::invalid_argument& e) {
            throw ConfigError(std::string("server: ") + e.what());
        }
    }
    auto queued = link_->store.pending();
    auto rejected = link_->store.rejected();
    board_.update([&](SyncStatus& st) {
        st.queued = queued;
        st.rejected = rejected;
        st.last_ok_ms = stored.last_ok_ms;
        st.last_error = stored.last_error;
        st.clock_offset_ms = stored.clock_offset_ms;
        st.clock_flagged = std::llabs(stored.clock_offset_ms) > sync::clock_skew_flag_ms;
        st.servers = settings.server_urls.size();
    });
}

SyncClient::~SyncClient() { stop(); }

void SyncClient::start() {
    worker_.start([this](std::stop_token stop) { run(std::move(stop)); });
    if (listener_) listener_->start();
}

// The worker asks the loop to stop first and only then cancels the request in flight (the
// stop_callback in run()), so the loop reads the cancelled request as stopping, not as a failure.
// The listener first: it wakes the sync thread.
void SyncClient::stop() {
    if (listener_) listener_->stop();
    worker_.stop();
}

void SyncClient::nudge() { worker_.wake(); }

void SyncClient::changes_heard() {
    download_now_ = true;
    worker_.wake();
}

bool SyncClient::flush(std::chrono::milliseconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    // A pass that ends after this moment counts the outbox as it is now, this scan included.
    auto passes_before = board_.read().passes;
    flush_now_ = true;
    worker_.wake();
    return board_.wait_until(
               [&](const SyncStatus& st) { return (st.passes > passes_before && st.queued == 0) || st.revoked; }, deadline) &&
           board_.read().queued == 0;
}

bool SyncClient::wait_until(const std::function<bool(const SyncStatus&)>& holds, std::chrono::milliseconds within) const {
    return board_.wait_until(holds, std::chrono::steady_clock::now() + within);
}

// One pass per wake-up: a nudge or flush, the poll interval, or the end of a backoff.
void SyncClient::run(std::stop_token stop) {
    using clock = std::chrono::steady_clock;
    std::stop_callback cancel_request(stop, [this] { link_->hub.cancel(); });  // a silent server is not waited for
    auto& link = *link_;
    auto next_download = clock::now();
    while (worker_.sleep_for(stop, (link.retry_at ? *link.retry_at : next_download) - clock::now())) {
        if (flush_now_.exchange(false)) link.retry_at.reset();
        if (download_now_.exchange(false)) next_download = clock::now();
        if (link.retry_at && clock::now() < *link.retry_at) continue;  // backing off: a nudge waits for the retry
        bool after_failure = link.retry_at.has_value();
        SyncPass pass(link, board_, stop, log_);
        try {
            bool ok = pass.upload();
            if (ok && (clock::now() >= next_download || after_failure)) {
                ok = pass.download();
                cursor_ = link.store.cursor();
                next_download = clock::now() + settings_.poll;
            }
            if (stop.stop_requested()) return;
            if (ok) pass.record_outcome(true, "");
        } catch (const std::exception& e) {
            // A reply we could not read, or the local database busy: retry later; nothing was
            // removed from the outbox that the server had not acknowledged.
            pass.record_outcome(false, e.what());
        }
        pass.finish();
        if (board_.read().revoked) return;  // stops syncing for good; stop() joins
    }
}

}  // namespace muster::kiosk
