#pragma once
// Runs a program (nfc-list) with extra environment variables, collecting stdout and stderr
// together, and kills it if it outlives a deadline: a test must fail, never hang.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace muster::test {

struct ChildResult {
    bool started = false;
    bool timed_out = false;
    int exit_code = -1;
    std::string output;  // stdout and stderr interleaved
};

ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::pair<std::string, std::string>>& env,
                      std::chrono::milliseconds deadline);

}  // namespace muster::test
