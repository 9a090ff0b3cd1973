#pragma once
// What keeps the staff login's Argon2 work (about half a second of a core and 64 MiB each,
// docs/staff.md) from starving the server: a bound on the hashes in flight at once, and a
// rate of login attempts per client address. Pure bookkeeping, no I/O: tested on its own.
#include "muster/model/types.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace muster::server {

class LoginGate {
public:
    // in_flight: password hashes at once (the rest are told to come back, 503);
    // per_minute: login attempts one address may make in a minute, in a burst or spread out.
    LoginGate(int in_flight, int per_minute);

    // A place among the hashes in flight, given back when it goes out of scope.
    class Ticket {
    public:
        explicit Ticket(std::atomic<int>& count) : count_(&count) {}
        Ticket(Ticket&& o) noexcept : count_(o.count_) { o.count_ = nullptr; }
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;
        Ticket& operator=(Ticket&&) = delete;
        ~Ticket() {
            if (count_) --*count_;
        }

    private:
        std::atomic<int>* count_;
    };
    // A place, or nullopt when every place is taken.
    std::optional<Ticket> enter();

    // Counts one attempt from `address`: nullopt when allowed, else how long (ms, > 0) until
    // the next one would be. Refused attempts are not counted (they did no work).
    std::optional<TimeMs> attempt(const std::string& address, TimeMs now);

    int in_flight_limit() const { return in_flight_limit_; }
    int per_minute() const { return per_minute_; }

private:
    const int in_flight_limit_;
    const int per_minute_;
    std::atomic<int> in_flight_{0};
    std::mutex mutex_;
    // Per address, the time its attempts' allowance is next back to full, as in the generic
    // cell rate algorithm (one number an address, nothing to sweep on every request).
    std::unordered_map<std::string, TimeMs> full_at_;
};

}  // namespace muster::server
