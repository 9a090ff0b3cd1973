// muster-test-postgres start|stop STATE_DIR: the ctest fixture that starts one PostgreSQL
// cluster for a whole test run and stops it afterwards (tests/CMakeLists.txt). start writes
// STATE_DIR/url (the maintenance database's URL, read by tests through MUSTER_TEST_POSTGRES)
// and STATE_DIR/cluster_dir (where the cluster lives, for stop). A cluster left by a run that
// was killed before its cleanup is stopped first.
#include "postgres_cluster.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace fs = std::filesystem;

namespace {

void stop_recorded_cluster(const fs::path& state) {
    std::ifstream in(state / "cluster_dir");
    std::string dir;
    if (std::getline(in, dir) && !dir.empty()) muster::test::stop_postgres_cluster(dir);
    std::error_code ec;
    fs::remove(state / "cluster_dir", ec);
    fs::remove(state / "url", ec);
}

}  // namespace

int main(int argc, char** argv) {
    std::string command = argc == 3 ? argv[1] : "";
    if (command != "start" && command != "stop") {
        std::cerr << "usage: muster-test-postgres start|stop STATE_DIR\n";
        return 2;
    }
    fs::path state = argv[2];
    try {
        stop_recorded_cluster(state);
        if (command == "stop") {
            std::cout << "stopped\n";
            return 0;
        }
        fs::create_directories(state);
        muster::test::PostgresCluster cluster;
        cluster.detach();
        std::ofstream(state / "cluster_dir") << cluster.directory().string() << "\n";
        std::ofstream(state / "url") << cluster.url() << "\n";
        std::cout << cluster.url() << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "muster-test-postgres " << command << ": " << e.what() << "\n";
        return 1;
    }
}
