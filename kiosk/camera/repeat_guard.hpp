#pragma once
// The re-arm rule: a code held in front of the camera is reported once, not 30 times a
// second. It is reported again only after it has been out of view - absent from every
// decoded frame - for at least `absent_for` (1.5 s) AND at least `absent_frames` (10) frames.
// Time alone would re-trigger when frames stall (a camera that stops sending for 2 s while
// the badge is still there); frames alone would re-trigger within 0.1 s on a fast camera or
// when a few frames in a row fail to decode (motion blur). Different codes do not block
// each other: two attendees in quick succession both scan.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace muster::kiosk::camera {

class RepeatGuard {
public:
    using time_point = std::chrono::steady_clock::time_point;
    struct Rule {
        std::chrono::milliseconds absent_for{1500};
        int absent_frames = 10;
    };

    RepeatGuard();
    explicit RepeatGuard(Rule rule);

    // Call once for every decoded frame, with what was found in it (nullopt: nothing), in
    // capture order. True when `seen` is to be reported as a scan.
    bool admit(std::optional<std::string_view> seen, time_point captured_at);

    const Rule& rule() const { return rule_; }

private:
    struct LastSeen {
        std::uint64_t frame = 0;
        time_point at{};
    };
    bool rearmed(const LastSeen& last, time_point now) const;

    // Transparent hashing: looking up the decoded text needs no std::string copy per frame.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    Rule rule_;
    std::uint64_t frame_ = 0;
    // Codes still blocked: a handful at most.
    std::unordered_map<std::string, LastSeen, TextHash, std::equal_to<>> recent_;
};

}  // namespace muster::kiosk::camera
