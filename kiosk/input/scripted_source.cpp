#include "scripted_source.hpp"

#include <poll.h>
#include <unistd.h>

#include <string>

namespace muster::kiosk {

void ScriptedSource::start(ScanSink& sink) {
    worker_.start([this, &sink](std::stop_token stop) {
        sink.on_status({InputKind::scripted, SourceState::ready, "reading lines"});
        std::string line;
        while (!stop.stop_requested()) {
            pollfd p{fd_, POLLIN, 0};
            // A blocking read would not see stop(): wait at most 100 ms, then look again.
            if (::poll(&p, 1, 100) <= 0) continue;
            char buf[1024];
            ssize_t n = ::read(fd_, buf, sizeof buf);
            if (n <= 0) break;
            for (ssize_t i = 0; i < n; ++i) {
                if (buf[i] == '\n') {
                    if (!line.empty() && line.back() == '\r') line.pop_back();
                    if (!line.empty()) sink.on_scan(RawScan{InputKind::scripted, line, "", std::chrono::steady_clock::now()});
                    line.clear();
                } else if (line.size() < 4096) {
                    line.push_back(buf[i]);
                }
            }
        }
        sink.on_status({InputKind::scripted, SourceState::unavailable, "input ended"});
    });
}

void ScriptedSource::stop() { worker_.stop(); }

}  // namespace muster::kiosk
