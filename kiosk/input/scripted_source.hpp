#pragma once
// The scripted input: lines from a file descriptor (stdin) as scans, for tests and
// automation driving the windowed kiosk. Polls with a timeout so stop() is prompt.
#include "scan_source.hpp"

#include <atomic>
#include <thread>

namespace muster::kiosk {

class ScriptedSource final : public ScanSource {
public:
    explicit ScriptedSource(int fd = 0) : fd_(fd) {}
    ~ScriptedSource() override { stop(); }
    InputKind kind() const override { return InputKind::scripted; }
    void start(ScanSink& sink) override;
    void stop() override;

private:
    int fd_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace muster::kiosk
