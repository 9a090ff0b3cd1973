#pragma once
// A source's latest status, readable from any thread, passed to the sink only when it
// changed: a source retrying a missing device every second must not flood the screen and
// the log with the same line. Shared by the camera and the NFC reader.
#include "scan_source.hpp"

#include <mutex>

namespace muster::kiosk {

class SourceStatusBoard {
public:
    explicit SourceStatusBoard(SourceStatus initial) : status_(std::move(initial)) {}

    // Records `next`; hands it to `sink` unless it says what the last one said.
    void report(ScanSink& sink, SourceStatus next) {
        {
            std::lock_guard lock(mutex_);
            if (status_.state == next.state && status_.message == next.message) return;
            status_ = next;
        }
        sink.on_status(std::move(next));  // outside the lock: the sink takes its own
    }

    SourceStatus current() const {
        std::lock_guard lock(mutex_);
        return status_;
    }

private:
    mutable std::mutex mutex_;
    SourceStatus status_;
};

}  // namespace muster::kiosk
