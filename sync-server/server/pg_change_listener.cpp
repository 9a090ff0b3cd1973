#include "pg_change_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace muster::server {
namespace {

constexpr std::chrono::milliseconds first_backoff{250};
constexpr std::chrono::milliseconds max_backoff{5000};

std::string last_error(PGconn* conn) {
    std::string message = conn ? PQerrorMessage(conn) : "out of memory";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return message;
}

}  // namespace

PgChangeListener::PgChangeListener(std::string url, log::Logger& log) : url_(std::move(url)), log_(log) {}

PgChangeListener::~PgChangeListener() {
    if (conn_) PQfinish(conn_);
}

bool PgChangeListener::connect() {
    conn_ = PQconnectdb(url_.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        drop(last_error(conn_));
        return false;
    }
    PGresult* r = PQexec(conn_, "LISTEN muster_change");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok || PQsetnonblocking(conn_, 1) != 0) {
        drop(last_error(conn_));
        return false;
    }
    backoff_ = first_backoff;
    if (failing_) log_.info("change_listen_recovered", {});
    else log_.info("change_listen_started", {{"channel", "muster_change"}});
    failing_ = false;
    return true;
}

void PgChangeListener::drop(const std::string& why) {
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    if (!failing_) log_.warn("change_listen_failed", {{"error", why}});
    failing_ = true;
    next_attempt_ = std::chrono::steady_clock::now() + backoff_;
    backoff_ = std::min(backoff_ * 2, max_backoff);
}

PgChangeListener::Heard PgChangeListener::wait(std::chrono::milliseconds timeout) {
    Heard out;
    if (!conn_ && (std::chrono::steady_clock::now() < next_attempt_ || !connect())) return out;
    out.listening = true;
    auto take = [&] {
        while (PGnotify* n = PQnotifies(conn_)) {
            std::int64_t value = 0;
            const char* end = n->extra + std::strlen(n->extra);
            if (std::from_chars(n->extra, end, value).ec == std::errc{} && (!out.change || value > *out.change))
                out.change = value;
            PQfreemem(n);
        }
    };
    take();  // heard while LISTEN was answered
    if (out.change) return out;
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
    if (ready < 0) return out;  // a signal: the caller comes back
    if (ready > 0) {
        if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) {
            drop(last_error(conn_));
            out.listening = false;
            return out;
        }
        take();
    }
    return out;
}

}  // namespace muster::server
