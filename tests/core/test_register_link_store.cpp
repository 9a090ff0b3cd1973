// Register links and sessions in a real hub database (docs/register.md): one-time codes,
// expiry at 24:00 UK time, revocation, room scope, and no secret in the file.
#include "test_hub.hpp"

#include "muster/store/participant_store.hpp"
#include "muster/store/register_link_store.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

using namespace muster;
namespace ra = muster::register_access;

namespace {

TimeMs utc(int y, int m, int d, int h = 0, int min = 0) {
    return (uk_time::days_from_civil(y, m, d) * 86'400LL + h * 3'600LL + min * 60LL) * 1000;
}

EventId event_on(test::TestHub& hub, const std::string& date, int rooms = 2) {
    return store::create_event(*hub.db, {"ect-y1", "conference-2", 2025, date, "Leeds", rooms, 10});
}

std::vector<RoomId> rooms_of(test::TestHub& hub, EventId event) {
    std::vector<RoomId> ids;
    const auto loaded = store::load_event(*hub.db, event);  // kept: the loop reads into it
    for (const auto& r : loaded->rooms) ids.push_back(r.id);
    return ids;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("a link's code is exchanged once for a session, and a second exchange is refused", "[register][store][engines]") {
    TimeMs now = utc(2026, 10, 14, 8, 0);
    test::TestHub hub(now);
    auto room1 = hub.loaded.rooms.at(0).id;
    auto made = store::create_link(*hub.db, {hub.event, room1, "Room 1 pack"}, now);
    REQUIRE(made.link);
    CHECK(made.link->code.size() == ra::secret_chars);
    CHECK(made.link->expires_ms == utc(2026, 10, 14, 23, 0));  // 24:00 BST

    auto first = store::exchange(*hub.db, made.link->code, now + 60'000);
    REQUIRE(first.session);
    CHECK(first.session->scope.event_id == hub.event);
    CHECK(first.session->scope.room_id == room1);
    CHECK(first.session->scope.link_id == made.link->id);
    CHECK(first.session->scope.expires_ms == made.link->expires_ms);
    CHECK(first.session->csrf_token == ra::csrf_token_for(first.session->cookie_value));
    CHECK(first.session->cookie_value != made.link->code);

    auto second = store::exchange(*hub.db, made.link->code, now + 120'000);
    CHECK_FALSE(second.session);
    CHECK(second.refusal == store::ExchangeRefusal::used_already);

    // The first tablet keeps its session.
    auto check = store::check_session(*hub.db, first.session->cookie_value, now + 180'000);
    REQUIRE(check.scope);
    CHECK(check.scope->room_id == room1);
    CHECK(check.csrf_token == first.session->csrf_token);
    CHECK(ra::csrf_matches(first.session->cookie_value, check.csrf_token));

    auto listed = store::list_links(*hub.db, hub.event, now + 180'000);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].status == store::LinkStatus::in_use);
    CHECK(listed[0].used_ms == now + 60'000);
    CHECK(listed[0].last_seen_ms == now + 180'000);
    CHECK(listed[0].label == "Room 1 pack");
}

TEST_CASE("unknown and malformed codes and cookie values are refused as unknown", "[register][store][engines]") {
    TimeMs now = utc(2026, 10, 14, 8, 0);
    test::TestHub hub(now);
    REQUIRE(store::create_link(*hub.db, {hub.event, {}, {}}, now).link);
    for (std::string bad : {ra::make_secret(), std::string(), std::string("short"), std::string(5000, 'A'),
                            std::string("' OR 1=1 --") + std::string(32, 'A')}) {
        auto e = store::exchange(*hub.db, bad, now);
        CHECK_FALSE(e.session);
        CHECK(e.refusal == store::ExchangeRefusal::unknown);
        auto c = store::check_session(*hub.db, bad, now);
        CHECK_FALSE(c.scope);
        CHECK(c.refusal == store::SessionRefusal::unknown);
    }
}

TEST_CASE("links and sessions expire at 24:00 UK time of the event's day, in GMT and in BST", "[register][store][engines]") {
    TimeMs now = utc(2026, 1, 10, 12, 0);
    test::TestHub hub(now);
    struct Case {
        std::string date;
        TimeMs end;
    };
    for (const auto& c : {Case{"2026-01-14", utc(2026, 1, 15, 0)}, Case{"2026-07-14", utc(2026, 7, 14, 23)},
                          Case{"2026-03-29", utc(2026, 3, 29, 23)}, Case{"2026-10-25", utc(2026, 10, 26, 0)}}) {
        INFO(c.date);
        auto event = event_on(hub, c.date);
        auto used = store::create_link(*hub.db, {event, {}, {}}, now);
        auto unused = store::create_link(*hub.db, {event, {}, {}}, now);
        REQUIRE(used.link);
        REQUIRE(unused.link);
        CHECK(used.link->expires_ms == c.end);

        auto session = store::exchange(*hub.db, used.link->code, c.end - 1);  // 23:59:59.999 UK
        REQUIRE(session.session);
        CHECK(session.session->scope.expires_ms == c.end);
        CHECK(ra::set_cookie_header(session.session->cookie_value, c.end - 1, c.end).ends_with("Max-Age=1"));
        CHECK(store::check_session(*hub.db, session.session->cookie_value, c.end - 1).scope);
        auto late = store::check_session(*hub.db, session.session->cookie_value, c.end);
        CHECK_FALSE(late.scope);
        CHECK(late.refusal == store::SessionRefusal::expired);

        auto too_late = store::exchange(*hub.db, unused.link->code, c.end);
        CHECK_FALSE(too_late.session);
        CHECK(too_late.refusal == store::ExchangeRefusal::expired);

        // Once the day is over no link can be made for it.
        auto over = store::create_link(*hub.db, {event, {}, {}}, c.end);
        CHECK_FALSE(over.link);
        CHECK(over.refusal == store::LinkRefusal::event_over);
        for (const auto& l : store::list_links(*hub.db, event, c.end)) CHECK(l.status == store::LinkStatus::expired);
    }
}

TEST_CASE("a revoked link and its session are refused, and revoking twice says so", "[register][store][engines]") {
    TimeMs now = utc(2026, 10, 14, 8, 0);
    test::TestHub hub(now);
    auto used = store::create_link(*hub.db, {hub.event, {}, {}}, now);
    auto unused = store::create_link(*hub.db, {hub.event, {}, {}}, now);
    auto kept = store::create_link(*hub.db, {hub.event, {}, {}}, now);
    auto session = store::exchange(*hub.db, used.link->code, now);
    auto kept_session = store::exchange(*hub.db, kept.link->code, now);
    REQUIRE(session.session);
    REQUIRE(kept_session.session);

    auto before = store::current_change(*hub.db);
    CHECK(store::revoke_link(*hub.db, used.link->id, now + 1000) == store::LinkRevocation::revoked);
    CHECK(store::revoke_link(*hub.db, unused.link->id, now + 1000) == store::LinkRevocation::revoked);
    // Each revocation ticks the change clock (the server's open streams hear it at once); a
    // refused one does not.
    CHECK(store::current_change(*hub.db) == before + 2);
    CHECK(store::revoke_link(*hub.db, used.link->id, now + 2000) == store::LinkRevocation::already_revoked);
    CHECK(store::revoke_link(*hub.db, 9999, now) == store::LinkRevocation::no_such_link);
    CHECK(store::current_change(*hub.db) == before + 2);

    auto check = store::check_session(*hub.db, session.session->cookie_value, now + 3000);
    CHECK_FALSE(check.scope);
    CHECK(check.refusal == store::SessionRefusal::revoked);
    CHECK(check.csrf_token.empty());
    auto exchanged = store::exchange(*hub.db, unused.link->code, now + 3000);
    CHECK_FALSE(exchanged.session);
    CHECK(exchanged.refusal == store::ExchangeRefusal::revoked);
    // Another link's session is untouched.
    CHECK(store::check_session(*hub.db, kept_session.session->cookie_value, now + 3000).scope);

    auto listed = store::list_links(*hub.db, std::nullopt, now + 3000);
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].status == store::LinkStatus::revoked);
    CHECK(listed[0].revoked_ms == now + 1000);
    CHECK(listed[1].status == store::LinkStatus::revoked);
    CHECK(listed[2].status == store::LinkStatus::in_use);
}

TEST_CASE("a room link's session reads its room only, an event link's every room of its event", "[register][store][engines]") {
    TimeMs now = utc(2026, 10, 14, 8, 0);
    test::TestHub hub(now);
    auto room1 = hub.loaded.rooms.at(0).id, room2 = hub.loaded.rooms.at(1).id;
    auto other_event = event_on(hub, "2026-10-15");
    auto other_room = rooms_of(hub, other_event).at(0);

    auto room_link = store::create_link(*hub.db, {hub.event, room1, {}}, now);
    auto event_link = store::create_link(*hub.db, {hub.event, {}, {}}, now);
    auto room_session = store::exchange(*hub.db, room_link.link->code, now);
    auto event_session = store::exchange(*hub.db, event_link.link->code, now);
    auto room_scope = *store::check_session(*hub.db, room_session.session->cookie_value, now).scope;
    auto event_scope = *store::check_session(*hub.db, event_session.session->cookie_value, now).scope;

    CHECK(ra::may_read(room_scope, hub.event, room1));
    CHECK_FALSE(ra::may_read(room_scope, hub.event, room2));
    CHECK_FALSE(ra::may_read(room_scope, hub.event, std::nullopt));
    CHECK_FALSE(ra::may_read(room_scope, other_event, other_room));
    CHECK(ra::may_read(event_scope, hub.event, room1));
    CHECK(ra::may_read(event_scope, hub.event, room2));
    CHECK(ra::may_read(event_scope, hub.event, std::nullopt));
    CHECK_FALSE(ra::may_read(event_scope, other_event, other_room));
    CHECK_FALSE(ra::may_read(event_scope, other_event, std::nullopt));
}

TEST_CASE("a link is refused for no event, a cancelled event, a room of another event, or a bad label", "[register][store][engines]") {
    TimeMs now = utc(2026, 10, 14, 8, 0);
    test::TestHub hub(now);
    auto other_event = event_on(hub, "2026-10-15");
    auto other_room = rooms_of(hub, other_event).at(0);

    auto none = store::create_link(*hub.db, {9999, {}, {}}, now);
    CHECK_FALSE(none.link);
    CHECK(none.refusal == store::LinkRefusal::no_such_event);
    auto wrong_room = store::create_link(*hub.db, {hub.event, other_room, {}}, now);
    CHECK_FALSE(wrong_room.link);
    CHECK(wrong_room.refusal == store::LinkRefusal::room_not_in_event);
    auto no_room = store::create_link(*hub.db, {hub.event, RoomId{9999}, {}}, now);
    CHECK(no_room.refusal == store::LinkRefusal::room_not_in_event);
    CHECK_THROWS_AS(store::create_link(*hub.db, {hub.event, {}, std::string("a\nb")}, now), std::invalid_argument);
    CHECK_THROWS_AS(store::create_link(*hub.db, {hub.event, {}, std::string(101, 'x')}, now), std::invalid_argument);

    auto cancel = hub.db->prepare("UPDATE events SET cancelled_ms = ?2, cancel_reason = 'venue flooded' WHERE id = ?1");
    cancel.bind(1, other_event).bind(2, now);
    cancel.run();
    auto cancelled = store::create_link(*hub.db, {other_event, {}, {}}, now);
    CHECK_FALSE(cancelled.link);
    CHECK(cancelled.refusal == store::LinkRefusal::event_cancelled);
    CHECK(store::list_links(*hub.db, std::nullopt, now).empty());
}

TEST_CASE("neither a link's code nor a session's cookie value is written to the hub's files", "[register][store]") {
    TimeMs now = utc(2026, 10, 14, 8, 0);
    test::TestHub hub(now);
    auto made = store::create_link(*hub.db, {hub.event, {}, std::string("staff")}, now);
    auto session = store::exchange(*hub.db, made.link->code, now);
    REQUIRE(session.session);
    std::string files = file_bytes(hub.dir.file("hub.db")) + file_bytes(hub.dir.file("hub.db-wal"));
    REQUIRE(files.find("staff") != std::string::npos);  // the label is there: the files were read
    CHECK(files.find(made.link->code) == std::string::npos);
    CHECK(files.find(session.session->cookie_value) == std::string::npos);
    CHECK(files.find(session.session->csrf_token) == std::string::npos);
    auto h = ra::hash_secret(made.link->code);
    CHECK(files.find(std::string(reinterpret_cast<const char*>(h.data()), h.size())) != std::string::npos);
}

TEST_CASE("two tablets racing with one code on two connections get one session between them", "[register][store][engines]") {
    TimeMs now = utc(2026, 10, 14, 8, 0);
    test::TestHub hub(now);
    auto other = store::open_database(hub.database.location());
    for (int round = 0; round < 20; ++round) {
        auto made = store::create_link(*hub.db, {hub.event, {}, {}}, now);
        REQUIRE(made.link);
        store::Exchange a, b;
        std::latch start(2);
        std::thread first([&] {
            start.arrive_and_wait();
            a = store::exchange(*hub.db, made.link->code, now);
        });
        std::thread second([&] {
            start.arrive_and_wait();
            b = store::exchange(*other, made.link->code, now);
        });
        first.join();
        second.join();
        CHECK(a.session.has_value() != b.session.has_value());
        CHECK((a.session ? b.refusal : a.refusal) == store::ExchangeRefusal::used_already);
    }
    auto count = hub.db->prepare("SELECT count(*) FROM register_sessions");
    CHECK(count.query_one([](const db::Statement& r) { return r.int64(0); }) == 20);
}

TEST_CASE("cancelling an event after its link was made refuses the link and its session", "[register][store][engines]") {
    TimeMs now = utc(2026, 10, 14, 8, 0);
    test::TestHub hub(now);
    auto used = store::create_link(*hub.db, {hub.event, {}, {}}, now);
    auto unused = store::create_link(*hub.db, {hub.event, {}, {}}, now);
    auto session = store::exchange(*hub.db, used.link->code, now);
    REQUIRE(session.session);
    REQUIRE(store::check_session(*hub.db, session.session->cookie_value, now).scope);

    auto cancel = hub.db->prepare("UPDATE events SET cancelled_ms = ?2, cancel_reason = 'venue flooded' WHERE id = ?1");
    cancel.bind(1, hub.event).bind(2, now + 1);
    cancel.run();
    auto check = store::check_session(*hub.db, session.session->cookie_value, now + 2);
    CHECK_FALSE(check.scope);
    CHECK(check.refusal == store::SessionRefusal::revoked);
    auto late = store::exchange(*hub.db, unused.link->code, now + 2);
    CHECK_FALSE(late.session);
    CHECK(late.refusal == store::ExchangeRefusal::revoked);
}
