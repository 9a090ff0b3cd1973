// Type 2 tag data areas and NDEF messages, well-formed and not, without a reader.
#include "emulated_tag.hpp"
#include "muster/nfc/ndef.hpp"

#include <catch2/catch.hpp>

using namespace muster::nfc;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("NDEF: capability container", "[nfc]") {
    const std::array<std::uint8_t, 4> ntag213{0xE1, 0x10, 0x12, 0x00};
    REQUIRE(parse_capability_container(ntag213));
    CHECK(parse_capability_container(ntag213)->data_area_bytes == 144);
    const std::array<std::uint8_t, 4> blank{0x00, 0x00, 0x00, 0x00};
    CHECK_FALSE(parse_capability_container(blank));
    const std::array<std::uint8_t, 4> version2{0xE1, 0x20, 0x12, 0x00};
    CHECK_FALSE(parse_capability_container(version2));
}

TEST_CASE("NDEF: locating the message TLV", "[nfc]") {
    // NULL, a lock control TLV, then the NDEF TLV.
    const Bytes area{0x00, 0x01, 0x03, 0xA0, 0x0C, 0x34, 0x03, 0x05, 'a', 'b', 'c', 'd', 'e', 0xFE};
    auto tlv = locate_ndef_tlv(area);
    CHECK(tlv.found == NdefTlv::Found::message);
    CHECK(tlv.value_offset == 8);
    CHECK(tlv.length == 5);

    const Bytes long_form{0x03, 0xFF, 0x01, 0x2C};
    tlv = locate_ndef_tlv(long_form);
    CHECK(tlv.found == NdefTlv::Found::message);
    CHECK(tlv.value_offset == 4);
    CHECK(tlv.length == 300);

    CHECK(locate_ndef_tlv(Bytes{0x03, 0xFF, 0x01}).found == NdefTlv::Found::need_more_bytes);
    CHECK(locate_ndef_tlv(Bytes{0x00, 0x00}).found == NdefTlv::Found::need_more_bytes);
    CHECK(locate_ndef_tlv(Bytes{0x01, 0x03, 0xA0, 0x0C}).found == NdefTlv::Found::need_more_bytes);
    CHECK(locate_ndef_tlv(Bytes{0xFE, 0x03, 0x01, 0x00}).found == NdefTlv::Found::none);
}

TEST_CASE("NDEF: text records in UTF-8 and UTF-16, and records that are not text", "[nfc]") {
    using muster::test::pn532::ndef_text_message;
    using muster::test::pn532::ndef_uri_message;

    auto text = first_text_record(ndef_text_message("M1:ABC", "en"));
    REQUIRE(text);
    CHECK(text->language == "en");
    CHECK(text->text == "M1:ABC");

    auto welsh = first_text_record(ndef_text_message("Croeso, Siân", "cy"));
    REQUIRE(welsh);
    CHECK(welsh->text == "Croeso, Siân");
    CHECK(welsh->language == "cy");

    // UTF-16 with a little-endian BOM: "Zoë"
    const Bytes utf16{0xD1, 0x01, 0x0F, 'T', 0x82, 'e', 'n', 0xFF, 0xFE, 'Z', 0x00, 'o', 0x00, 0xEB, 0x00, 0x3D, 0xD8, 0x00, 0xDE};
    auto decoded = first_text_record(utf16);
    REQUIRE(decoded);
    CHECK(decoded->text == "Zoë\xF0\x9F\x98\x80");

    CHECK_FALSE(first_text_record(ndef_uri_message("example.org")));

    // A URI record first, the text second: the text is found.
    Bytes two = ndef_uri_message("example.org");
    two[0] &= ~0x40;  // clear ME on the first record
    Bytes second = ndef_text_message("token", "en");
    second[0] &= ~0x80;  // clear MB on the second
    two.insert(two.end(), second.begin(), second.end());
    auto found = first_text_record(two);
    REQUIRE(found);
    CHECK(found->text == "token");
}

TEST_CASE("NDEF: malformed messages give no text, never a crash", "[nfc]") {
    CHECK_FALSE(first_text_record(Bytes{}));
    CHECK_FALSE(first_text_record(Bytes{0xD1}));
    CHECK_FALSE(first_text_record(Bytes{0xD1, 0x01, 0x20, 'T', 0x02, 'e', 'n'}));  // payload runs past the end
    CHECK_FALSE(first_text_record(Bytes{0xC1, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 'T'}));  // 4 GB payload
    CHECK_FALSE(first_text_record(Bytes{0xD1, 0x01, 0x03, 'T', 0x3F, 'e', 'n'}));    // language longer than payload
    CHECK_FALSE(first_text_record(Bytes{0xD1, 0x01, 0x04, 'T', 0x82, 'e', 'n', 0x00}));  // odd-length UTF-16
    // Every prefix of a good message: no text or the right text, and no out-of-bounds read (ASan).
    const Bytes good = muster::test::pn532::ndef_text_message("M1:XYZ", "en");
    for (std::size_t n = 0; n < good.size(); ++n) CHECK_FALSE(first_text_record(std::span(good.data(), n)));
}
