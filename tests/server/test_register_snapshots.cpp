// The register's shared snapshots (register_snapshots.hpp): one build per scope and change,
// shared; and spaced by their own cost under a constant stream of changes.
#include "register_snapshots.hpp"

#include <catch2/catch.hpp>

using muster::server::RegisterSnapshots;
using muster::server::StreamEvent;

namespace {

StreamEvent event_at(std::int64_t change) { return {change, std::make_shared<const std::string>("id: x")}; }

}  // namespace

TEST_CASE("a scope's snapshot is built once per change and shared", "[snapshots]") {
    auto t = std::chrono::steady_clock::time_point();  // a clock only the test moves
    RegisterSnapshots snapshots(std::chrono::milliseconds(0), [&t] { return t; });
    int builds = 0;
    auto build = [&](std::int64_t change) {
        return [&builds, change]() -> std::optional<StreamEvent> {
            ++builds;
            return event_at(change);
        };
    };
    RegisterSnapshots::Scope room1{1, 1}, whole{1, std::nullopt};
    CHECK(snapshots.at_least(room1, 5, build(5))->id == 5);
    CHECK(snapshots.at_least(room1, 5, build(5))->id == 5);  // shared
    CHECK(snapshots.at_least(room1, 3, build(3))->id == 5);  // older asks get the newest
    CHECK(builds == 1);
    CHECK(snapshots.at_least(whole, 5, build(5))->id == 5);  // another scope builds its own
    CHECK(builds == 2);
    CHECK(snapshots.at_least(room1, 6, build(6))->id == 6);  // a newer change, a build that cost nothing: at once
    CHECK(builds == 3);
    t += RegisterSnapshots::max_age + std::chrono::seconds(1);
    CHECK(snapshots.at_least(room1, 6, build(6))->id == 6);  // too old: made again though nothing changed
    CHECK(builds == 4);
}

TEST_CASE("a costly snapshot is not rebuilt at every change", "[snapshots]") {
    auto t = std::chrono::steady_clock::time_point();
    RegisterSnapshots snapshots(std::chrono::milliseconds(0), [&t] { return t; });
    RegisterSnapshots::Scope room1{1, 1};
    int builds = 0;
    // A build that costs 200 ms (the clock moves while it runs): the next one waits 6 x 200 ms,
    // so under a constant stream of changes building takes a sixth of a core, not all of it.
    auto costly = [&](std::int64_t change) {
        return [&builds, &t, change]() -> std::optional<StreamEvent> {
            ++builds;
            t += std::chrono::milliseconds(200);
            return event_at(change);
        };
    };
    CHECK(snapshots.at_least(room1, 1, costly(1))->id == 1);
    t += std::chrono::milliseconds(900);  // 1.1 s since that build began
    CHECK(snapshots.at_least(room1, 2, costly(2))->id == 1);  // within the spacing: the newest there is
    CHECK(builds == 1);
    t += std::chrono::milliseconds(100);  // 1.2 s since it began
    CHECK(snapshots.at_least(room1, 2, costly(2))->id == 2);  // built
    CHECK(builds == 2);
}
