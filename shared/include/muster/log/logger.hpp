#pragma once
// The one logger (ARCHITECTURE principle 7): one JSON object a line on stderr, e.g.
//   {"ts":"2026-11-22T09:02:03.123Z","level":"info","event":"upload","device":"entrance-1","records":500}
// Only ids, counts, statuses and timings are logged: never a name, TRN, email or badge token
// (DOMAIN.md, privacy), so a log can be shared when asking for help. The server, the kiosk
// and the admin tool all write through it.
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>

namespace muster::log {

enum class Level { debug, info, warn, error };
bool parse_level(std::string_view text, Level& out);

struct Field {
    std::string_view key;
    std::variant<std::int64_t, double, std::string_view, bool> value;
    Field(std::string_view k, std::int64_t v) : key(k), value(v) {}
    Field(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
    Field(std::string_view k, unsigned v) : key(k), value(std::int64_t{v}) {}
    Field(std::string_view k, std::size_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
    Field(std::string_view k, double v) : key(k), value(v) {}
    Field(std::string_view k, bool v) : key(k), value(v) {}
    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
};

// One line as the logger writes it, without the trailing newline; `ts_ms` is Unix ms.
std::string format_line(std::int64_t ts_ms, Level level, std::string_view event, std::initializer_list<Field> fields);

class Logger {
public:
    explicit Logger(Level level = Level::info, std::FILE* sink = stderr) : level_(level), sink_(sink) {}
    bool enabled(Level level) const { return level >= level_; }
    void log(Level level, std::string_view event, std::initializer_list<Field> fields = {});
    void debug(std::string_view event, std::initializer_list<Field> fields = {}) { log(Level::debug, event, fields); }
    void info(std::string_view event, std::initializer_list<Field> fields = {}) { log(Level::info, event, fields); }
    void warn(std::string_view event, std::initializer_list<Field> fields = {}) { log(Level::warn, event, fields); }
    void error(std::string_view event, std::initializer_list<Field> fields = {}) { log(Level::error, event, fields); }
    // Life-cycle lines (listening, stopping, stopped, ready) are written whatever the level:
    // tools wait for "listening" to learn the port.
    void notice(std::string_view event, std::initializer_list<Field> fields = {}) { write(Level::info, event, fields); }

private:
    void write(Level level, std::string_view event, std::initializer_list<Field> fields);
    Level level_;
    std::FILE* sink_;
    std::mutex mutex_;
};

}  // namespace muster::log
