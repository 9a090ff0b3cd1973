// `muster`: the hub's admin tool. See `muster --help` and the README.
#include "command.hpp"

#include "muster/db/postgresql.hpp"

#include <sys/stat.h>

#include <iostream>

int main(int argc, char** argv) {
    // A hub folder holds personal data and keys: whatever muster writes there (badge sheets,
    // exports, device folders, configuration) is its owner's alone. The files that matter most
    // (databases, keys, secrets) get their modes set explicitly as well.
    ::umask(077);
    // A hub's sync-server.toml may name a PostgreSQL database (docs/scale.md).
    muster::db::enable_postgresql();
    std::vector<std::string> args(argv + 1, argv + argc);
    return muster::admin::run_cli(args, std::cout, std::cerr);
}
