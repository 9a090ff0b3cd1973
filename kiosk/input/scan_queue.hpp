#pragma once
// Thread-safe hand-off from input threads to the UI thread (a run queue, as in Tracy).
// Bounded: a runaway source cannot eat the kiosk's memory; the oldest scan is never
// dropped silently, the newest is refused and counted instead.
#include "scan_source.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace muster::kiosk {

class ScanQueue final : public ScanSink {
public:
    static constexpr std::size_t capacity = 1024;

    void on_scan(RawScan scan) override;
    void on_status(SourceStatus status) override;

    // Non-blocking: everything queued so far, in arrival order.
    std::vector<RawScan> drain();
    // Blocks up to `timeout` for the next scan (headless mode and tests).
    std::optional<RawScan> wait_next(std::chrono::milliseconds timeout);
    // Latest status of every source that has reported.
    std::map<InputKind, SourceStatus> statuses() const;
    std::size_t dropped() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<RawScan> scans_;
    std::map<InputKind, SourceStatus> statuses_;
    std::size_t dropped_ = 0;
};

}  // namespace muster::kiosk
