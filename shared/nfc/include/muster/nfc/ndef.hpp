#pragma once
// NFC Forum Type 2 Tag (NTAG21x / MIFARE Ultralight) data area and NDEF parsing, with no
// I/O: the reader hands over the bytes it has read so far and asks what they hold. Pure
// functions, so every malformed-tag case is tested without a reader.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace muster::nfc {

// Capability container (page 3): E1 <version> <data area size / 8> <access>.
struct CapabilityContainer {
    std::size_t data_area_bytes = 0;
};
std::optional<CapabilityContainer> parse_capability_container(std::span<const std::uint8_t, 4> page3);

// Where the NDEF message TLV (type 0x03) sits in the data area (which starts at page 4).
struct NdefTlv {
    enum class Found { message, need_more_bytes, none };
    Found found = Found::none;
    std::size_t value_offset = 0;  // from the start of the data area
    std::size_t length = 0;
};
// `data` is a prefix of the data area; need_more_bytes means read further pages and ask again.
NdefTlv locate_ndef_tlv(std::span<const std::uint8_t> data);

// The first well-known text record ('T') of an NDEF message, decoded to UTF-8.
struct TextRecord {
    std::string language;  // IANA code, e.g. "en"
    std::string text;
};
std::optional<TextRecord> first_text_record(std::span<const std::uint8_t> message);

}  // namespace muster::nfc
