#pragma once
// Structured logs: one JSON object a line on stderr, e.g.
//   {"ts":"2026-11-22T09:02:03.123Z","level":"info","event":"upload","device":"entrance-1","records":500}
// Only ids, counts, statuses and timings are logged: never a name, TRN, email or badge token
// (DOMAIN.md, privacy), so a log can be shared when asking for help.
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>

namespace muster::server {

enum class LogLevel { debug, info, warn, error };
bool parse_log_level(std::string_view text, LogLevel& out);

struct LogField {
    std::string_view key;
    std::variant<std::int64_t, double, std::string_view, bool> value;
    LogField(std::string_view k, std::int64_t v) : key(k), value(v) {}
    LogField(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
    LogField(std::string_view k, std::size_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
    LogField(std::string_view k, double v) : key(k), value(v) {}
    LogField(std::string_view k, bool v) : key(k), value(v) {}
    LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
    LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
};

class Logger {
public:
    explicit Logger(LogLevel level = LogLevel::info) : level_(level) {}
    bool enabled(LogLevel level) const { return level >= level_; }
    void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});
    // Life-cycle lines (listening, stopping, stopped) are written whatever the level:
    // tools wait for "listening" to learn the port.
    void notice(std::string_view event, std::initializer_list<LogField> fields = {}) { write(LogLevel::info, event, fields); }

private:
    void write(LogLevel level, std::string_view event, std::initializer_list<LogField> fields);
    LogLevel level_;
    std::mutex mutex_;
};

}  // namespace muster::server
