// PgChangeListener (sync-server/server/pg_change_listener.hpp) on a real PostgreSQL hub
// database: it hears the change clock's new value when another connection commits a
// change, nothing when one rolls back, and returns after its timeout when nothing comes.
#include "postgres_cluster.hpp"

#include "pg_change_listener.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"

#include <catch2/catch.hpp>

using namespace muster;

namespace {

// Waits (in the listener's own timeouts, no sleeps) until it hears a change, at most ~5 s.
std::optional<std::int64_t> hear(server::PgChangeListener& l) {
    for (int i = 0; i < 50; ++i) {
        auto heard = l.wait(std::chrono::milliseconds(100));
        if (heard.change) return heard.change;
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("PgChangeListener hears a change committed by another connection", "[server][postgres]") {
    db::enable_postgresql();
    auto database = test::fresh_postgres_database();
    auto db = store::open_database(database.url());
    log::Logger log(log::Level::error);
    server::PgChangeListener listener(database.url(), log);
    auto first = listener.wait(std::chrono::milliseconds(50));
    REQUIRE(first.listening);
    CHECK_FALSE(first.change);

    std::int64_t change = 0;
    {
        db::Transaction tx(*db);
        change = store::next_change(*db);
        tx.commit();
    }
    auto heard = hear(listener);
    REQUIRE(heard);
    CHECK(*heard == change);

    {
        db::Transaction tx(*db);
        store::next_change(*db);
        // rolled back: nothing is announced
    }
    auto quiet = listener.wait(std::chrono::milliseconds(200));
    CHECK(quiet.listening);
    CHECK_FALSE(quiet.change);
}

TEST_CASE("PgChangeListener without a database says it is not listening and returns at once", "[server][postgres]") {
    db::enable_postgresql();
    log::Logger log(log::Level::error);
    server::PgChangeListener listener("postgresql://muster@127.0.0.1:1/none?connect_timeout=2", log);
    auto t0 = std::chrono::steady_clock::now();
    auto heard = listener.wait(std::chrono::milliseconds(5000));
    CHECK_FALSE(heard.listening);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(4));
    // Back-off: the next attempt is not due yet, so no new connection is tried.
    auto again = listener.wait(std::chrono::milliseconds(5000));
    CHECK_FALSE(again.listening);
}
