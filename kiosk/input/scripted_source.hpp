#pragma once
// The scripted input: lines from a file descriptor (stdin) as scans, for tests and
// automation driving the windowed kiosk. Polls with a timeout so stop() is prompt.
#include "muster/util/worker.hpp"
#include "scan_source.hpp"

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
    Worker worker_;
};

}  // namespace muster::kiosk
