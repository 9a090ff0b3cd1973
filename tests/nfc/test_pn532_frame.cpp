// The emulator's framing against the bytes libnfc is known to send (PITFALLS.md, captured
// with LIBNFC_LOG_LEVEL=3) and against its own builder.
#include "emulated_tag.hpp"
#include "pn532_chip.hpp"
#include "pn532_frame.hpp"

#include <catch2/catch.hpp>

using namespace muster::test::pn532;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("PN532 frames: libnfc's wake-up and SAMConfiguration parse to one command", "[nfc]") {
    FrameParser parser;
    const Bytes wire{0x55, 0x55, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                     0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x14, 0x01, 0x17, 0x00};
    const auto frames = parser.feed(wire);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].kind == HostFrame::Kind::command);
    CHECK(frames[0].data == Bytes{0x14, 0x01});
}

TEST_CASE("PN532 frames: split across reads, ACKs, bad checksums, extended frames", "[nfc]") {
    FrameParser parser;
    const Bytes data{0x4A, 0x01, 0x00};
    const Bytes wire = build_frame(tfi_host, data);
    CHECK(wire == Bytes{0x00, 0x00, 0xFF, 0x04, 0xFC, 0xD4, 0x4A, 0x01, 0x00, 0xE1, 0x00});

    std::vector<HostFrame> got;
    for (std::uint8_t b : wire) {
        auto some = parser.feed(std::span(&b, 1));
        got.insert(got.end(), some.begin(), some.end());
    }
    REQUIRE(got.size() == 1);
    CHECK(got[0].data == data);

    auto ack = parser.feed(ack_frame);
    REQUIRE(ack.size() == 1);
    CHECK(ack[0].kind == HostFrame::Kind::ack);

    Bytes bad = wire;
    bad[bad.size() - 2] ^= 0x01;
    auto corrupt = parser.feed(bad);
    REQUIRE(corrupt.size() == 1);
    CHECK(corrupt[0].kind == HostFrame::Kind::corrupt);
    // The parser finds the next good frame after garbage.
    auto next = parser.feed(wire);
    REQUIRE(next.size() == 1);
    CHECK(next[0].kind == HostFrame::Kind::command);

    const Bytes big(300, 0xAB);
    const Bytes extended = build_frame(tfi_host, big);
    CHECK(extended[3] == 0xFF);
    CHECK(extended[4] == 0xFF);
    auto long_frame = parser.feed(extended);
    REQUIRE(long_frame.size() == 1);
    CHECK(long_frame[0].data == big);
}

TEST_CASE("PN532 chip: a search finds the placed tag, the tag's pages read back", "[nfc]") {
    Pn532Chip chip;
    chip.handle(Bytes{0x32, 0x05, 0x00, 0x01, 0x02});  // what NP_INFINITE_SELECT=false sends
    auto none = chip.handle(Bytes{0x4A, 0x01, 0x00});
    CHECK(none.data == Bytes{0x4B, 0x00});
    CHECK(chip.empty_searches() == 1);

    TagSpec spec;
    spec.uid = parse_hex("04A1B2C3D4E5F6");
    spec.text = "hello";
    chip.place(make_tag(spec));
    auto found = chip.handle(Bytes{0x4A, 0x01, 0x00});
    CHECK(found.data == Bytes{0x4B, 0x01, 0x01, 0x00, 0x44, 0x00, 0x07, 0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6});
    auto page0 = chip.handle(Bytes{0x40, 0x01, 0x30, 0x00});
    REQUIRE(page0.data.size() == 2 + 16);
    CHECK(page0.data[1] == 0x00);                          // status
    CHECK(page0.data[2 + 3] == (0x88 ^ 0x04 ^ 0xA1 ^ 0xB2));  // BCC0
    CHECK(page0.data[2 + 12] == 0xE1);                     // capability container

    chip.remove();
    auto gone = chip.handle(Bytes{0x40, 0x01, 0x30, 0x00});
    CHECK(gone.data == Bytes{0x41, 0x01});  // the tag does not answer: timeout status
    CHECK(chip.handle(Bytes{0x8C}).kind == Pn532Chip::Reply::Kind::error_frame);  // TgInitAsTarget
}
