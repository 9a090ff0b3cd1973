// Two hubs' servers on one port (or a server started twice): the second says so in one line
// naming the port and the setting to change, and exits non-zero, instead of a JSON error.
#include "child_exit.hpp"
#include "log_lines.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

#include "command.hpp"
#include "muster/util/text.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace muster;
using namespace muster::test;

namespace {

struct Finished {
    int code = -1;
    std::string err;
};

// What the server said on stderr: exactly one log line, start_failed for the listen address,
// and its error text.
std::string listen_failure_said(const Finished& run) {
    std::istringstream in(run.err);
    auto lines = log_lines_of(in);
    REQUIRE(lines.size() == 1);
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
    CHECK(lines[0].at("event").as_string() == "start_failed");
    CHECK(lines[0].at("reason").as_string() == "listen");
    return std::string(lines[0].at("error").as_string());
}

// Runs muster-sync-server with `args` until it exits (it must, within 20 s), keeping stderr.
Finished run_to_exit(std::vector<std::string> args, const std::string& err_file) {
    args.insert(args.begin(), ServerProcess::binary());
    pid_t pid = spawn_with_stderr(std::move(args), err_file, /*append=*/false);
    auto code = wait_for_exit(pid, std::chrono::seconds(20));
    if (!code) {
        ::kill(pid, SIGKILL);
        wait_for_exit(pid, std::chrono::seconds(5));
        FAIL("muster-sync-server kept running on a port already in use");
    }
    return {*code, read_text_file(err_file)};
}

}  // namespace

TEST_CASE("a second server on a port already in use says so in one log line naming the port and the config file", "[server][setup]") {
    TempDir dir;
    std::string hub = dir.file("hub");
    std::ostringstream out, err;
    REQUIRE(admin::run_cli({"init", "--hub", hub, "--name", "Port hub", "--listen", "127.0.0.1"}, out, err) == 0);
    ServerProcess first(hub + "/sync-server.toml", dir.file("first.log"), /*plain_http=*/false);
    std::string port = std::to_string(first.port());

    // The same hub's file with the first server's port in it, as a second hub on this machine would have.
    std::string config = hub + "/second-server.toml";
    std::string text = read_text_file(hub + "/sync-server.toml");
    REQUIRE(text.find("port = 8443\n") != std::string::npos);
    std::ofstream(config) << text::replace_all(text, "port = 8443\n", "port = " + port + "\n");

    auto second = run_to_exit({"--config", config}, dir.file("second.err"));
    CHECK(second.code != 0);
    CHECK(listen_failure_said(second) == "port " + port + " is already in use (another muster-sync-server?); change server.port in " +
                            std::filesystem::canonical(config).string());
    CHECK(first.running());

    // The port given on the command line: the line says to give another.
    auto overridden = run_to_exit({"--config", hub + "/sync-server.toml", "--port", port}, dir.file("third.err"));
    CHECK(overridden.code != 0);
    CHECK(listen_failure_said(overridden) == "port " + port + " is already in use (another muster-sync-server?); give another --port");
}
