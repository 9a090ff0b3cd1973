#pragma once
// Where a hub-side store test keeps its hub database. The store's tests run on both engines
// (docs/scale.md, "Testing against PostgreSQL"): on SQLite, a file in the test's folder; in
// their second run, named "pg: <test>" by ctest (tests/CMakeLists.txt,
// muster_tests_on_postgresql), MUSTER_TEST_ENGINE=postgresql and each gets a fresh database
// of the run's PostgreSQL cluster, already migrated, dropped when the test ends.
#include "postgres_cluster.hpp"
#include "temp_dir.hpp"

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace muster::test {

inline bool testing_on_postgresql() {
    const char* engine = std::getenv("MUSTER_TEST_ENGINE");
    return engine && std::string_view(engine) == "postgresql";
}

class TestDatabase {
public:
    // `file` in `dir` on SQLite; a fresh PostgreSQL database in the engines' second run.
    TestDatabase(const TempDir& dir, const std::string& file = "hub.db") {
        if (testing_on_postgresql()) {
            pg_.emplace(fresh_postgres_hub_database());
            location_ = pg_->url();
        } else {
            location_ = dir.file(file);
        }
    }
    // What store::open_database and db::Database take.
    const std::string& location() const { return location_; }
    bool on_postgresql() const { return pg_.has_value(); }

private:
    std::optional<PostgresDatabase> pg_;
    std::string location_;
};

}  // namespace muster::test
