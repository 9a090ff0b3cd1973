#pragma once
// The register's stream events, made once per scope and change and shared: when a scan lands,
// the 500 tablets of an event streaming the same room (or the whole event) cost one database
// read and one JSON text between them, not 500. Thread-safe: the server's threads ask at once.
#include "event_stream.hpp"

#include "muster/model/types.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace muster::server {

class RegisterSnapshots {
public:
    // A register's scope: the event, and the room (nullopt: the whole event).
    using Scope = std::pair<EventId, std::optional<RoomId>>;
    // Makes the newest snapshot of a scope: its event with the change it was made at, or
    // nullopt when the scope is gone (the event deleted).
    using Build = std::function<std::optional<StreamEvent>()>;

    // min_interval: a scope's snapshot is made at most this often. During a busy ingest (a
    // hundred uploads a second, each a change) the streams asking for newer changes get the
    // newest snapshot there is until it is that old; they ask again at their next turn.
    // And at most so often that building snapshots takes a small share of one core: a scope's
    // next build waits cost_spacing times its last build's duration times the scopes built
    // in the last ten seconds, so under a constant stream of changes all builds together take at most
    // 1/cost_spacing of a core, and the uploads keep the rest. A quiet hub builds at once.
    // clock: the steady clock, or a test's own (to model a build's cost without waiting).
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    explicit RegisterSnapshots(std::chrono::milliseconds min_interval, Clock clock = std::chrono::steady_clock::now)
        : min_interval_(min_interval), clock_(std::move(clock)) {}

    // The newest snapshot of `scope` if it was made at `change` or later, or less than
    // min_interval ago; otherwise `build` makes a new one (once: streams asking meanwhile wait
    // for it and share it).
    std::optional<StreamEvent> at_least(const Scope& scope, std::int64_t change, const Build& build);

    static constexpr int cost_spacing = 6;
    // However costly, a scope is rebuilt at least this often while changes come: the streams
    // give up on a change they have waited 10 s for (http_server.cpp, stale_give_up).
    static constexpr std::chrono::seconds max_spacing{5};
    // A snapshot older than this is made again even with no change: the register also moves
    // with the clock (the next session begins), and the page reopens a quiet stream every 35 s
    // (register-live.js), so a tablet sees the new session within about that.
    static constexpr std::chrono::seconds max_age{30};

private:
    struct Entry {
        std::mutex building;  // one build of a scope at a time
        std::optional<StreamEvent> newest;
        std::chrono::steady_clock::time_point made{};
        std::chrono::steady_clock::duration cost{};  // how long the last build took
        // When it was last built (steady clock ticks), read without the lock to count the
        // scopes in use: a room nobody streams any more stops slowing the others down.
        std::atomic<std::chrono::steady_clock::rep> built_at{0};
    };
    static constexpr std::chrono::seconds in_use_within{10};
    std::chrono::milliseconds min_interval_;
    Clock clock_;
    std::mutex mutex_;  // guards the map only, never held while building
    std::map<Scope, std::shared_ptr<Entry>> entries_;
};

}  // namespace muster::server
