#pragma once
// Splits text read from stdin into scan lines, as a wedge scanner's Enter ends a code. Used
// by the headless loop and the scripted source, so both read lines the same way: CR before
// LF dropped, a line blank but for spaces and tabs ignored (a stray Enter is not a scan),
// a runaway line capped so it cannot eat memory.
#include <cstddef>
#include <string>
#include <string_view>

namespace muster::kiosk {

class ScanLines {
public:
    static constexpr std::size_t max_line = 4096;

    template <class F>
    void feed(const char* data, std::size_t n, F&& on_line) {
        for (std::size_t i = 0; i < n; ++i) {
            if (data[i] == '\n') {
                finish(on_line);
            } else if (buffer_.size() < max_line) {
                buffer_.push_back(data[i]);
            }
        }
    }
    // The last line when the input ends without a newline.
    template <class F>
    void finish(F&& on_line) {
        if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
        if (!blank(buffer_)) on_line(buffer_);
        buffer_.clear();
    }

    static bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

private:
    std::string buffer_;
};

}  // namespace muster::kiosk
