#include "pn532_frame.hpp"

#include <numeric>
#include <stdexcept>

namespace muster::test::pn532 {

std::vector<std::uint8_t> build_frame(std::uint8_t tfi, std::span<const std::uint8_t> data) {
    const std::size_t len = data.size() + 1;  // TFI + data
    if (len > 0xFFFF) throw std::invalid_argument("PN532 frame too long");
    // push_back one by one: GCC 12 at -O3 misjudges an initializer-list insert here
    // (a false -Warray-bounds on the memcpy it inlines).
    std::vector<std::uint8_t> frame;
    frame.reserve(data.size() + 11);
    for (std::uint8_t b : {0x00, 0x00, 0xFF}) frame.push_back(b);
    if (len <= 0xFE) {
        frame.push_back(static_cast<std::uint8_t>(len));
        frame.push_back(static_cast<std::uint8_t>(0x100 - len));
    } else {
        const auto high = static_cast<std::uint8_t>(len >> 8);
        const auto low = static_cast<std::uint8_t>(len & 0xFF);
        frame.push_back(0xFF);
        frame.push_back(0xFF);
        frame.push_back(high);
        frame.push_back(low);
        frame.push_back(static_cast<std::uint8_t>(0x100 - ((high + low) & 0xFF)));
    }
    frame.push_back(tfi);
    frame.insert(frame.end(), data.begin(), data.end());
    const unsigned sum = std::accumulate(data.begin(), data.end(), unsigned{tfi});
    frame.push_back(static_cast<std::uint8_t>(0x100 - (sum & 0xFF)));
    frame.push_back(0x00);
    return frame;
}

std::vector<HostFrame> FrameParser::feed(std::span<const std::uint8_t> bytes) {
    std::vector<HostFrame> out;
    for (std::uint8_t b : bytes) step(b, out);
    return out;
}

void FrameParser::step(std::uint8_t b, std::vector<HostFrame>& out) {
    auto corrupt = [&] {
        out.push_back({HostFrame::Kind::corrupt, {}});
        state_ = State::hunt;
    };
    auto start_body = [&](std::size_t len) {
        body_len_ = len;
        body_.clear();
        if (len == 0) corrupt(); else state_ = State::body;
    };
    switch (state_) {
        case State::hunt:
            if (previous_ == 0x00 && b == 0xFF) state_ = State::len;
            break;
        case State::len:
            len_ = b;
            state_ = State::lcs;
            break;
        case State::lcs:
            if (len_ == 0x00 && b == 0xFF) {
                out.push_back({HostFrame::Kind::ack, {}});
                state_ = State::hunt;
            } else if (len_ == 0xFF && b == 0x00) {
                out.push_back({HostFrame::Kind::nack, {}});
                state_ = State::hunt;
            } else if (len_ == 0xFF && b == 0xFF) {
                state_ = State::ext_len_high;
            } else if (((len_ + b) & 0xFF) == 0) {
                start_body(len_);
            } else {
                corrupt();
            }
            break;
        case State::ext_len_high:
            len_ = b;
            state_ = State::ext_len_low;
            break;
        case State::ext_len_low:
            body_len_ = (static_cast<std::size_t>(len_) << 8) | b;
            state_ = State::ext_lcs;
            break;
        case State::ext_lcs:
            if (((len_ + (body_len_ & 0xFF) + b) & 0xFF) == 0) start_body(body_len_); else corrupt();
            break;
        case State::body:
            body_.push_back(b);
            if (body_.size() == body_len_) state_ = State::dcs;
            break;
        case State::dcs: {
            const unsigned sum = std::accumulate(body_.begin(), body_.end(), unsigned{b});
            if ((sum & 0xFF) != 0 || body_[0] != tfi_host) {
                corrupt();
            } else {
                out.push_back({HostFrame::Kind::command, std::vector<std::uint8_t>(body_.begin() + 1, body_.end())});
                state_ = State::hunt;
            }
            break;
        }
    }
    previous_ = b;
}

}  // namespace muster::test::pn532
