#include "scripted_source.hpp"

#include "scan_lines.hpp"

#include <poll.h>
#include <unistd.h>

#include <string>

namespace muster::kiosk {

void ScriptedSource::start(ScanSink& sink) {
    worker_.start([this, &sink](std::stop_token stop) {
        sink.on_status({InputKind::scripted, SourceState::ready, "reading lines"});
        ScanLines lines;
        auto on_line = [&sink](const std::string& line) {
            sink.on_scan(RawScan{InputKind::scripted, line, "", std::chrono::steady_clock::now()});
        };
        while (!stop.stop_requested()) {
            pollfd p{fd_, POLLIN, 0};
            // A blocking read would not see stop(): wait at most 100 ms, then look again.
            if (::poll(&p, 1, 100) <= 0) continue;
            char buf[1024];
            ssize_t n = ::read(fd_, buf, sizeof buf);
            if (n <= 0) {
                lines.finish(on_line);  // a last line without its newline
                break;
            }
            lines.feed(buf, static_cast<std::size_t>(n), on_line);
        }
        sink.on_status({InputKind::scripted, SourceState::unavailable, "input ended"});
    });
}

void ScriptedSource::stop() { worker_.stop(); }

}  // namespace muster::kiosk
