#include "postgres_hub_copy.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/hub_copy.hpp"
#include "muster/store/schema.hpp"

namespace muster::test {

void copy_hub_to_postgres(const std::string& sqlite_file, const std::string& postgres_url) {
    db::enable_postgresql();
    auto from = store::open_database(sqlite_file);
    auto to = store::open_database(postgres_url);
    store::copy_hub(*from, *to);
}

}  // namespace muster::test
