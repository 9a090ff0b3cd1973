// The register's shared snapshots (register_snapshots.hpp): one build per scope and change,
// shared; and spaced by their own cost under a constant stream of changes.
#include "register_snapshots.hpp"

#include <catch2/catch.hpp>

#include <thread>

using muster::server::RegisterSnapshots;
using muster::server::StreamEvent;

namespace {

StreamEvent event_at(std::int64_t change) { return {change, std::make_shared<const std::string>("id: x")}; }

}  // namespace

TEST_CASE("a scope's snapshot is built once per change and shared", "[snapshots]") {
    RegisterSnapshots snapshots(std::chrono::milliseconds(0));
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
    // A newer change, and a build that costs microseconds: made as soon as its spacing (six
    // times those microseconds, per scope) has passed.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (snapshots.at_least(room1, 6, build(6))->id != 6 && std::chrono::steady_clock::now() < until) {
    }
    CHECK(snapshots.at_least(room1, 6, build(6))->id == 6);
    CHECK(builds == 3);
}

TEST_CASE("a costly snapshot is not rebuilt at every change", "[snapshots]") {
    RegisterSnapshots snapshots(std::chrono::milliseconds(0));
    RegisterSnapshots::Scope room1{1, 1};
    int builds = 0;
    // A build that costs 200 ms of work: the next one waits 6 x 200 ms, so under a constant
    // stream of changes building takes a sixth of a core, not all of it.
    auto costly = [&](std::int64_t change) {
        return [&builds, change]() -> std::optional<StreamEvent> {
            ++builds;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the cost being modelled
            return event_at(change);
        };
    };
    auto started = std::chrono::steady_clock::now();
    CHECK(snapshots.at_least(room1, 1, costly(1))->id == 1);
    auto got = snapshots.at_least(room1, 2, costly(2));
    if (std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1200)) {
        CHECK(got->id == 1);  // within the spacing: the newest there is
        CHECK(builds == 1);
    }
}
