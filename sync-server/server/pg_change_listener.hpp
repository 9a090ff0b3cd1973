#pragma once
// Hears the PostgreSQL hub's change clock move, whichever process moved it: LISTEN on channel
// muster_change (the schema's trigger NOTIFYs it with the clock's new value at commit,
// shared/migrations/postgresql/0001_hub.sql) on a libpq connection of its own. The db layer
// has no LISTEN (a notification arrives between statements, outside any one call), so this
// talks to libpq directly. Used by one thread (the ChangeWatcher's).
//
// A dropped connection is opened again, with a growing pause between attempts (250 ms up
// to 5 s), so a database restart costs a few log lines, not a busy loop; meanwhile the
// watcher's interval reads of the clock keep the feed moving.
#include "muster/log/logger.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

struct pg_conn;

namespace muster::server {

class PgChangeListener {
public:
    PgChangeListener(std::string url, log::Logger& log);
    ~PgChangeListener();
    PgChangeListener(const PgChangeListener&) = delete;
    PgChangeListener& operator=(const PgChangeListener&) = delete;

    struct Heard {
        bool listening = false;             // false: no connection now (it waited for nothing)
        std::optional<std::int64_t> change;  // the newest clock value announced, if any
    };
    // Waits at most `timeout` for announcements (connecting first when due). When it has no
    // connection it returns at once with listening = false: the caller waits its own way.
    Heard wait(std::chrono::milliseconds timeout);

private:
    bool connect();
    void drop(const std::string& why);

    std::string url_;
    log::Logger& log_;
    pg_conn* conn_ = nullptr;
    std::chrono::steady_clock::time_point next_attempt_{};
    std::chrono::milliseconds backoff_{250};
    bool failing_ = false;  // said once per outage
};

}  // namespace muster::server
