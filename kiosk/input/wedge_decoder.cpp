#include "wedge_decoder.hpp"

namespace muster::kiosk {

WedgeDecoder::Result WedgeDecoder::flush_as_typing() {
    Result r;
    r.typed = std::move(burst_);
    burst_.clear();
    last_.reset();
    return r;
}

WedgeDecoder::Result WedgeDecoder::key(std::string_view character, Clock::time_point at) {
    Result r;
    // A gap longer than a scanner's means what came before was a person typing.
    if (last_ && at - *last_ > rules_.max_gap) r = flush_as_typing();
    if (burst_.size() + character.size() > rules_.max_length) {
        auto dropped = flush_as_typing();  // a stuck key: not a code
        r.typed += dropped.typed;
    }
    burst_ += character;
    last_ = at;
    return r;
}

WedgeDecoder::Result WedgeDecoder::enter(Clock::time_point at) {
    bool in_burst = last_ && at - *last_ <= rules_.max_gap;
    // Count characters, not bytes: a code of four accented letters is still four keys.
    std::size_t chars = 0;
    for (unsigned char c : burst_) chars += (c & 0xC0) != 0x80;
    if (in_burst && chars >= rules_.min_length) {
        Result r;
        r.scan = std::move(burst_);
        burst_.clear();
        last_.reset();
        return r;
    }
    return flush_as_typing();  // Enter after typing: the typed text is the person's
}

WedgeDecoder::Result WedgeDecoder::idle(Clock::time_point now) {
    if (last_ && now - *last_ > rules_.max_gap) return flush_as_typing();
    return {};
}

}  // namespace muster::kiosk
