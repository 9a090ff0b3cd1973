#include "server_log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace muster::server {
namespace {

void append_escaped(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    out += '"';
}

std::string_view level_name(LogLevel l) {
    switch (l) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
    }
    return "info";
}

}  // namespace

bool parse_log_level(std::string_view text, LogLevel& out) {
    for (auto l : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error})
        if (text == level_name(l)) {
            out = l;
            return true;
        }
    return false;
}

void Logger::log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
    if (enabled(level)) write(level, event, fields);
}

void Logger::write(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char ts[96];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    std::string line = "{\"ts\":\"";
    line += ts;
    line += "\",\"level\":\"";
    line += level_name(level);
    line += "\",\"event\":";
    append_escaped(line, event);
    for (const auto& f : fields) {
        line += ',';
        append_escaped(line, f.key);
        line += ':';
        if (auto* i = std::get_if<std::int64_t>(&f.value)) {
            line += std::to_string(*i);
        } else if (auto* d = std::get_if<double>(&f.value)) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.3f", *d);
            line += buf;
        } else if (auto* b = std::get_if<bool>(&f.value)) {
            line += *b ? "true" : "false";
        } else {
            append_escaped(line, std::get<std::string_view>(f.value));
        }
    }
    line += "}\n";
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace muster::server
