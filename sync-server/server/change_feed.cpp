#include "change_feed.hpp"

#include <algorithm>

namespace muster::server {

// `calling` guards the listener: unsubscribe waits on it, so a listener never runs after its
// Subscription's destructor has returned (it may capture a session that is going away).
struct ChangeFeed::Subscription::Entry {
    Listener listener;
    std::mutex calling;
    bool live = true;  // under `calling`
};

ChangeFeed::Subscription& ChangeFeed::Subscription::operator=(Subscription&& other) noexcept {
    if (this != &other) {
        reset();
        feed_ = other.feed_;
        entry_ = std::move(other.entry_);
        other.feed_ = nullptr;
    }
    return *this;
}

ChangeFeed::Subscription::~Subscription() { reset(); }

void ChangeFeed::Subscription::reset() {
    if (entry_ && feed_) feed_->unsubscribe(entry_);
    entry_.reset();
    feed_ = nullptr;
}

bool ChangeFeed::publish(std::int64_t change) {
    auto seen = latest_.load(std::memory_order_acquire);
    do {
        if (change <= seen) return false;
    } while (!latest_.compare_exchange_weak(seen, change, std::memory_order_acq_rel));
    std::vector<std::shared_ptr<Subscription::Entry>> to_call;
    {
        std::lock_guard lock(mutex_);
        to_call = entries_;
    }
    for (auto& entry : to_call) {
        std::lock_guard lock(entry->calling);
        // Two publishers may both get here: a listener can hear an older value after a newer
        // one, so listeners compare with what they already sent (latest() is the truth).
        if (entry->live) entry->listener(change);
    }
    return true;
}

ChangeFeed::Subscription ChangeFeed::subscribe(Listener listener) {
    auto entry = std::make_shared<Subscription::Entry>();
    entry->listener = std::move(listener);
    std::lock_guard lock(mutex_);
    entries_.push_back(entry);
    return Subscription(this, std::move(entry));
}

std::size_t ChangeFeed::listeners() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

void ChangeFeed::unsubscribe(const std::shared_ptr<Subscription::Entry>& entry) {
    {
        std::lock_guard lock(mutex_);
        entries_.erase(std::remove(entries_.begin(), entries_.end(), entry), entries_.end());
    }
    std::lock_guard lock(entry->calling);  // waits for a call in progress on another thread
    entry->live = false;
}

}  // namespace muster::server
