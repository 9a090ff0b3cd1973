#pragma once
// Tags the PN532 emulator can hold in its field: an NTAG213/216 with its page memory (an
// NDEF text record written the way NFC Tools or our badge writer would), a MIFARE Classic
// 1K (UID only: no CRYPTO1 here), and an ISO 14443-4 card such as a bank card or a phone
// (UID, ATS, and nothing we can read).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::test::pn532 {

enum class TagType { ntag213, ntag216, mifare_classic_1k, iso14443_4 };
const char* to_string(TagType type);
std::optional<TagType> tag_type_from_string(std::string_view name);  // "ntag213", "classic", ...

struct TagSpec {
    std::vector<std::uint8_t> uid;  // 4, 7 or 10 bytes
    TagType type = TagType::ntag213;
    std::optional<std::string> text;     // NDEF text record (NTAG only)
    std::string language = "en";
    // Instead of `text`: a whole NDEF message as stored (e.g. a URI record).
    std::optional<std::vector<std::uint8_t>> ndef_message;
    bool ndef_formatted = true;  // false: a factory-blank NTAG, no capability container
};

struct EmulatedTag {
    TagType type = TagType::ntag213;
    std::vector<std::uint8_t> uid;
    std::vector<std::uint8_t> memory;  // NTAG pages, 4 bytes each; empty for the others

    std::array<std::uint8_t, 2> atqa() const;
    std::uint8_t sak() const;
    std::vector<std::uint8_t> ats() const;  // with its length byte; empty unless ISO 14443-4
    // The UID as InListPassiveTarget's initiator data carries it: cascade tag 0x88 before
    // each level that is not the last.
    std::vector<std::uint8_t> cascaded_uid() const;
    std::size_t pages() const { return memory.size() / 4; }
};

EmulatedTag make_tag(const TagSpec& spec);  // throws std::invalid_argument on a bad spec

// An NDEF message of one well-known text record (UTF-8).
std::vector<std::uint8_t> ndef_text_message(std::string_view text, std::string_view language);
// An NDEF message of one URI record ("https://" prefix code 0x04 + rest).
std::vector<std::uint8_t> ndef_uri_message(std::string_view rest_after_https);

// "04A1B2C3" (spaces and colons allowed) -> bytes; throws std::invalid_argument.
std::vector<std::uint8_t> parse_hex(std::string_view hex);

}  // namespace muster::test::pn532
