#pragma once
// Runs the `muster` admin tool in-process (admin::run_cli) and keeps what it printed, and a
// small hub made through the tool itself for the admin tests: a roster and one event.
#include "temp_dir.hpp"

#include "command.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace muster::test {

struct CliRun {
    int code = 0;
    std::string out, err;
};

inline CliRun muster_cli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    int code = admin::run_cli(args, out, err);
    return {code, out.str(), err.str()};
}

// `muster ARGS` with `input` as what is typed on stdin (a staff password), hashed at `cost`.
inline CliRun muster_cli_with_input(const std::vector<std::string>& args, const std::string& input,
                                    const staff::PasswordCost& cost) {
    std::istringstream in(input);
    std::ostringstream out, err;
    int code = admin::run_cli(args, out, err, admin::PasswordInput{&in, cost});
    return {code, out.str(), err.str()};
}

// A hub folder made by `muster init` (serving this machine only), with `roster` imported
// when given.
struct CliHub {
    TempDir dir;
    std::string hub = dir.file("hub");

    explicit CliHub(const std::string& roster_csv = {}) {
        // On loopback, so public_url is https://localhost:8443 whatever this machine is called.
        auto init = muster_cli({"init", "--hub", hub, "--name", "Test TSH", "--listen", "127.0.0.1"});
        if (init.code != 0) throw std::runtime_error("muster init failed: " + init.err);
        if (!roster_csv.empty()) {
            auto imported = run({"roster", "import", write("roster.csv", roster_csv)});
            if (imported.code != 0) throw std::runtime_error("roster import failed: " + imported.err);
        }
    }

    // `muster ARGS --hub HUB`.
    CliRun run(std::vector<std::string> args) const {
        args.push_back("--hub");
        args.push_back(hub);
        return muster_cli(args);
    }

    // `muster ARGS --hub HUB` with `input` on stdin; Argon2 at the test cost unless told.
    CliRun run_with_input(std::vector<std::string> args, const std::string& input,
                          const staff::PasswordCost& cost = staff::test_cost) const {
        args.push_back("--hub");
        args.push_back(hub);
        return muster_cli_with_input(args, input, cost);
    }

    // Writes a file in the test's folder and returns its path.
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir.file(name), std::ios::binary) << text;
        return dir.file(name);
    }
};

}  // namespace muster::test
