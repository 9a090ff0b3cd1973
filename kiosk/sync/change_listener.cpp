#include "change_listener.hpp"

#include "hub_answer.hpp"

#include "muster/sync/sync_messages.hpp"

#include <algorithm>
#include <optional>

namespace muster::kiosk {
namespace {

// The step deadline beyond the wait itself: as long as any other request gets.
constexpr auto request_timeout = std::chrono::seconds(5);

}  // namespace

ChangeListener::ChangeListener(const SyncSettings& settings, HubConnection::WallClock clock, std::int64_t clock_offset_ms,
                               Cursor cursor, std::function<void()> heard, log::Logger* logger,
                               std::shared_ptr<ServerChoice> servers)
    : settings_(settings), cursor_(std::move(cursor)), heard_(std::move(heard)), log_(logger),
      hub_(settings, clock, settings.push_wait + request_timeout, std::move(servers)) {
    hub_.set_clock_offset_ms(clock_offset_ms);
    hub_.on_request([this](bool in_flight) { asking_ = in_flight; });
}

ChangeListener::~ChangeListener() { stop(); }

void ChangeListener::start() {
    worker_.start([this](std::stop_token stop) { run(std::move(stop)); });
}

void ChangeListener::stop() { worker_.stop(); }

std::string ChangeListener::target(std::int64_t since) const {
    return "/v1/changes?since=" + std::to_string(since) + "&wait_ms=" + std::to_string(settings_.push_wait.count());
}

void ChangeListener::run(std::stop_token stop) {
    using clock = std::chrono::steady_clock;
    std::stop_callback cancel_request(stop, [this] { hub_.cancel(); });  // the held request is not waited for
    std::int64_t heard_at = 0;  // the hub's cursor in the last answer
    bool told_fallback = false;
    while (!stop.stop_requested()) {
        // The sync thread's cursor moves on as it downloads; ours as we hear. The later of the
        // two: nothing already known is asked for again.
        auto since = std::max(heard_at, cursor_());
        auto asked = clock::now();
        auto reply = hub_.call("GET", target(since), "");
        if (stop.stop_requested()) return;
        auto answer = answer_of(reply);
        if (answer == HubAnswer::revoked) return;  // the sync thread says so to staff and stops too
        std::optional<sync::Changes> changes;
        if (answer == HubAnswer::accepted) {
            try {
                changes = sync::parse_changes(reply.body);
            } catch (const std::exception&) {
                // Unreadable: backed off like a failure below; the sync thread reports it if it lasts.
            }
        }
        clock::duration pause{};
        if (!changes) {
            pause = backoff_.next_delay();
            if (log_ && backoff_.failures() == 1)
                log_->info("sync_push_failed", {{"device", hub_.device_id()}, {"status", reply.status}, {"answer", to_string(answer)}});
        } else {
            backoff_.reset();
            heard_at = changes->cursor;
            if (!sync::carries_nothing(*changes)) {
                ++heard_count_;
                heard_();
            } else if (changes->cursor <= since && clock::now() - asked < settings_.push_wait / 2) {
                // Not held: a server that predates long polls. Ask as often as the sync thread polls.
                pause = settings_.poll;
                if (!told_fallback && log_) log_->info("sync_push_unsupported", {{"device", hub_.device_id()}});
                told_fallback = true;
            }
            // Otherwise the wait ran out, or the clock moved for someone else: ask again at once.
        }
        if (pause > clock::duration::zero()) worker_.sleep_for(stop, pause);
    }
}

}  // namespace muster::kiosk
