#include "muster/log/logger.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <ctime>

namespace muster::log {
namespace {

std::string_view level_name(Level l) {
    switch (l) {
        case Level::debug: return "debug";
        case Level::info: return "info";
        case Level::warn: return "warn";
        case Level::error: return "error";
    }
    return "info";
}

std::string iso_utc(std::int64_t ms) {
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char ts[96];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return ts;
}

}  // namespace

bool parse_level(std::string_view text, Level& out) {
    for (auto l : {Level::debug, Level::info, Level::warn, Level::error})
        if (text == level_name(l)) {
            out = l;
            return true;
        }
    return false;
}

std::string format_line(std::int64_t ts_ms, Level level, std::string_view event, std::initializer_list<Field> fields) {
    boost::json::object line;
    line["ts"] = iso_utc(ts_ms);
    line["level"] = level_name(level);
    line["event"] = event;
    for (const auto& f : fields)
        std::visit([&](const auto& v) { line[f.key] = v; }, f.value);
    return boost::json::serialize(line);
}

void Logger::log(Level level, std::string_view event, std::initializer_list<Field> fields) {
    if (enabled(level)) write(level, event, fields);
}

void Logger::write(Level level, std::string_view event, std::initializer_list<Field> fields) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count();
    auto line = format_line(ms, level, event, fields);
    line += '\n';
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), sink_);
    std::fflush(sink_);
}

}  // namespace muster::log
