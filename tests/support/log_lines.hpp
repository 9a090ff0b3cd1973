#pragma once
// Reads what a program logged through muster::log: one JSON object a line. Lines that are
// not JSON objects (a library's own chatter on the same stderr) are skipped. Parsed with
// Boost.JSON, the one JSON library (and no std::regex: PITFALLS.md).
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace muster::test {

inline std::vector<boost::json::object> log_lines_of(std::istream& in) {
    std::vector<boost::json::object> out;
    std::string line;
    while (std::getline(in, line)) {
        boost::system::error_code ec;
        auto v = boost::json::parse(line, ec);
        if (!ec && v.is_object()) out.push_back(std::move(v.as_object()));
    }
    return out;
}

inline std::vector<boost::json::object> log_lines(const std::string& path) {
    std::ifstream in(path);
    return log_lines_of(in);
}

// A logger's sink opened with std::tmpfile(): everything written so far.
inline std::vector<boost::json::object> log_lines(std::FILE* file) {
    std::fflush(file);
    std::rewind(file);
    std::string text;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file)) > 0;) text.append(buf, n);
    std::istringstream in(text);
    return log_lines_of(in);
}

// A string field, or "" when it is absent or not a string.
inline std::string text_of(const boost::json::object& line, const char* key) {
    auto* v = line.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

inline std::string event_of(const boost::json::object& line) { return text_of(line, "event"); }

// The first line of `path` with this event whose fields pass `keep`.
template <class Keep>
std::optional<boost::json::object> find_log(const std::string& path, const std::string& event, Keep&& keep) {
    for (auto& line : log_lines(path))
        if (event_of(line) == event && keep(line)) return line;
    return std::nullopt;
}

inline std::optional<boost::json::object> find_log(const std::string& path, const std::string& event) {
    return find_log(path, event, [](const boost::json::object&) { return true; });
}

// Waits until a process writing `path` has logged such a line (it has no other way to tell
// us), looking every 10 ms, for at most `timeout`.
template <class Keep>
std::optional<boost::json::object> wait_for_log(const std::string& path, const std::string& event, Keep&& keep,
                                                std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto line = find_log(path, event, keep)) return line;
        if (std::chrono::steady_clock::now() >= until) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace muster::test
