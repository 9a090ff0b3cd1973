// What the real programs leave on disk: `muster init`, `muster device add`, `muster demo`, a
// running muster-sync-server and a headless muster-kiosk, each started under the common
// umask 022. Every folder in a hub is 0700 and no file is readable or writable by group or
// others (databases, their -wal and -shm while in use, keys, device folders), and the hub
// database never holds a device's secret in the clear.
#include "kiosk_process.hpp"
#include "log_lines.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

#include "http_probe.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

using namespace muster;
using namespace std::chrono_literals;

namespace {

// Runs the real `muster` with umask 022 (what a desktop session gives it); its exit code.
int muster_program(std::vector<std::string> args) {
    args.insert(args.begin(), std::string(MUSTER_BINARY_DIR) + "/sync-server/admin/muster");
    pid_t pid = ::fork();
    if (pid == 0) {
        ::umask(022);
        int null = ::open("/dev/null", O_RDWR);
        if (null >= 0) ::dup2(null, 1);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string bytes_of(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return 07777;  // gone between listing and looking
    return st.st_mode & 07777;
}

// Every folder under `root` (and root) 0700; every file without group or other bits. Returns
// how many files were looked at, so a test can tell the walk saw something.
std::size_t check_private(const std::filesystem::path& root) {
    INFO(root.string());
    CHECK(mode_of(root) == 0700);
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        INFO(entry.path().string());
        if (entry.is_directory()) {
            CHECK(mode_of(entry.path()) == 0700);
        } else {
            CHECK((mode_of(entry.path()) & 077) == 0);
            ++files;
        }
    }
    return files;
}

// No device's secret (raw or as the hex in its device.secret) in the hub database or its WAL.
void check_no_bare_secret(const std::filesystem::path& hub) {
    std::string db = bytes_of(hub / "hub.db") + bytes_of(hub / "hub.db-wal");
    REQUIRE(db.size() > 0);
    std::size_t devices = 0;
    for (const auto& entry : std::filesystem::directory_iterator(hub / "devices")) {
        std::string hex;
        std::ifstream(entry.path() / "device.secret") >> hex;
        auto secret = sync::secret_from_hex(hex);
        REQUIRE(secret);
        INFO(entry.path().filename().string());
        CHECK(db.find(std::string(secret->begin(), secret->end())) == std::string::npos);
        CHECK(db.find(hex) == std::string::npos);
        ++devices;
    }
    CHECK(devices > 0);
}

}  // namespace

TEST_CASE("muster init and device add leave only private files and no bare secret", "[files][secrets]") {
    test::TempDir dir;
    auto hub = dir.path() / "hub";
    REQUIRE(muster_program({"init", "--hub", hub.string(), "--name", "Modes hub"}) == 0);
    CHECK(mode_of(hub / "tls" / "device-secrets.key") == 0600);
    REQUIRE(muster_program({"event", "create", "--hub", hub.string(), "--programme", "ect-y1", "--item", "conference-1",
                            "--cohort", "2025", "--date", "2026-10-14", "--venue", "Leeds", "--rooms", "1"}) == 0);
    REQUIRE(muster_program({"device", "add", "--hub", hub.string(), "--id", "door-1", "--event", "1", "--pin", "1357"}) == 0);
    CHECK(mode_of(hub / "devices" / "door-1" / "device.db") == 0600);
    CHECK(check_private(hub) >= 10);
    check_no_bare_secret(hub);
}

TEST_CASE("muster demo, the server and a kiosk running on it leave only private files", "[files][secrets]") {
    test::TempDir dir;
    auto hub = dir.path() / "demo";
    REQUIRE(muster_program({"demo", "--hub", hub.string(), "--server", ""}) == 0);
    check_no_bare_secret(hub);

    // The server, started under umask 022 too, with a device's upload so its WAL is in use.
    struct UsualUmask {
        mode_t saved = ::umask(022);
        ~UsualUmask() { ::umask(saved); }
    } umask;
    test::ServerProcess server((hub / "sync-server.toml").string(), dir.file("server.log"));
    std::string hex;
    std::ifstream(hub / "devices" / "entrance-1" / "device.secret") >> hex;
    test::SignedParts entrance{"entrance-1", *sync::secret_from_hex(hex), {}, {}, {}};
    sync::UploadBatch batch;
    batch.device_time_ms = uk_time::now_ms();
    std::string body = sync::to_json(batch);
    auto reply = test::signed_request(server.port(), "POST", "/v1/upload", body, entrance);
    CHECK(reply.status == 200);
    CHECK(test::signed_request(server.port(), "GET", "/v1/changes?since=0", "", entrance).status == 200);
    CHECK(std::filesystem::exists(hub / "hub.db-wal"));
    CHECK(std::filesystem::exists(hub / "hub.db-shm"));

    // A headless kiosk checking someone in, its device database open.
    std::string token;
    std::ifstream(hub / "demo-scans.txt") >> token;
    test::KioskProcess kiosk((hub / "devices" / "entrance-1" / "device.toml").string(), dir.file("kiosk.log"));
    kiosk.send(token);
    auto line = kiosk.read_line(20s);
    REQUIRE(line);
    CHECK(std::filesystem::exists(hub / "devices" / "entrance-1" / "device.db-wal"));

    CHECK(check_private(hub) >= 20);  // while the server and the kiosk hold their databases open
    check_no_bare_secret(hub);

    kiosk.close_stdin();
    CHECK(kiosk.wait(20s) == 0);
    server.terminate();
    CHECK(server.wait(20s) == 0);
    check_private(hub);
    check_no_bare_secret(hub);
}
