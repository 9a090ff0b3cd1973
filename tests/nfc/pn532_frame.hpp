#pragma once
// The PN532 host link framing (PN532 User Manual §6.2): what libnfc's pn532_uart driver
// writes and expects back. Normal frame:
//   00 00 FF LEN LCS TFI PD0..PDn DCS 00      LEN = 1 + n+1, LEN + LCS = 0, TFI + PD + DCS = 0
// extended frame (more than 254 data bytes): 00 00 FF FF FF LENm LENl LCS TFI ... DCS 00,
// ACK 00 00 FF 00 FF 00, NACK 00 00 FF FF 00 00, and the application error frame.
// TFI is D4 from the host, D5 from the chip. Wake-up bytes (55 55 00 00 ...) before a frame
// are skipped like any other noise before a start code.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace muster::test::pn532 {

inline constexpr std::array<std::uint8_t, 6> ack_frame{0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00};
inline constexpr std::array<std::uint8_t, 6> nack_frame{0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00};
inline constexpr std::array<std::uint8_t, 8> error_frame{0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00};

inline constexpr std::uint8_t tfi_host = 0xD4;
inline constexpr std::uint8_t tfi_chip = 0xD5;

// A frame with TFI `tfi` around `data` (command or response code, then parameters).
std::vector<std::uint8_t> build_frame(std::uint8_t tfi, std::span<const std::uint8_t> data);

struct HostFrame {
    enum class Kind { command, ack, nack, corrupt };
    Kind kind = Kind::corrupt;
    std::vector<std::uint8_t> data;  // command code and parameters (Kind::command only)
};

// Turns the byte stream from the host into frames, across arbitrary read boundaries.
class FrameParser {
public:
    std::vector<HostFrame> feed(std::span<const std::uint8_t> bytes);

private:
    enum class State { hunt, len, lcs, ext_len_high, ext_len_low, ext_lcs, body, dcs };
    void step(std::uint8_t b, std::vector<HostFrame>& out);

    State state_ = State::hunt;
    std::uint8_t previous_ = 0xFF;
    std::uint8_t len_ = 0;
    std::size_t body_len_ = 0;
    std::vector<std::uint8_t> body_;  // TFI and data
};

}  // namespace muster::test::pn532
