#pragma once
// The hub's change clock, heard live. Every write to the hub database advances its change
// clock (store::next_change); whoever made a change publishes the new value here, and the
// waiting readers (the register's Server-Sent Events streams, the devices' long polls on
// GET /v1/changes) are told at once instead of finding out at their next poll.
//
// A listener is called on the publishing thread, outside the feed's lock: it must only
// hand the news on (post to its own strand, set a flag), never do I/O or take long.
// Changes made by another process (the `muster` admin tool) reach the feed through
// ChangeFeed::publish too, from whoever watches the database for them.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace muster::server {

class ChangeFeed {
public:
    using Listener = std::function<void(std::int64_t change)>;

    // Unsubscribes when destroyed (or reset). After its destructor returns the listener is
    // never called again, so the listener may capture what dies with the subscription.
    class Subscription {
    public:
        Subscription() = default;
        Subscription(Subscription&&) noexcept = default;
        Subscription& operator=(Subscription&& other) noexcept;
        Subscription(const Subscription&) = delete;
        Subscription& operator=(const Subscription&) = delete;
        ~Subscription();
        void reset();
        explicit operator bool() const { return entry_ != nullptr; }

    private:
        friend class ChangeFeed;
        struct Entry;
        Subscription(ChangeFeed* feed, std::shared_ptr<Entry> entry) : feed_(feed), entry_(std::move(entry)) {}
        ChangeFeed* feed_ = nullptr;
        std::shared_ptr<Entry> entry_;
    };

    explicit ChangeFeed(std::int64_t start = 0) : latest_(start) {}
    ChangeFeed(const ChangeFeed&) = delete;
    ChangeFeed& operator=(const ChangeFeed&) = delete;

    // The newest change the feed has heard of.
    std::int64_t latest() const { return latest_.load(std::memory_order_acquire); }
    // The hub's change clock reached `change`: listeners hear it if it is newer than latest().
    // Returns whether it was newer. Safe from any thread, and from several at once.
    bool publish(std::int64_t change);
    // `listener` hears every later publish that moves the clock on. A change published between
    // a reader's look at latest() and its subscribe() is not lost: compare latest() again
    // after subscribing.
    [[nodiscard]] Subscription subscribe(Listener listener);
    std::size_t listeners() const;

private:
    void unsubscribe(const std::shared_ptr<Subscription::Entry>& entry);

    std::atomic<std::int64_t> latest_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<Subscription::Entry>> entries_;
};

}  // namespace muster::server
