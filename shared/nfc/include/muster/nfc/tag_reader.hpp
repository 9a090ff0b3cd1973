#pragma once
// What a tap yields: the tag's UID and, on NFC Forum Type 2 tags (NTAG21x, MIFARE
// Ultralight), the first NDEF text record, read page by page with the tag's READ command.
// MIFARE Classic and ISO 14443-4 cards (DESFire, phones, bank cards) give their UID only:
// Classic NDEF needs sector authentication with the MAD keys, which badges do not use.
#include "muster/nfc/ndef.hpp"
#include "muster/nfc/nfc_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace muster::nfc {

enum class TagFamily { type2, mifare_classic, iso14443_4, other };
const char* to_string(TagFamily family);
// From the ISO 14443-A select answer (ATQA / SAK), as NXP's AN10833 tells them apart.
TagFamily classify(const SelectedTag& tag);

struct TagRead {
    std::string uid;  // upper-case hex, no separators
    TagFamily family = TagFamily::other;
    std::optional<TextRecord> text;  // the NDEF text record, if the tag has one
};

struct TagReadOutcome {
    TagRead read;
    int error = nfc_code::ok;  // < 0: reading the NDEF area failed part-way (card pulled, noise)
};

std::string uid_hex(const std::vector<std::uint8_t>& uid);

// Reads a tag the reader has just selected.
TagReadOutcome read_tag(NfcReader& reader, const SelectedTag& tag);

// One Type 2 READ: the 4 pages (16 bytes) from `page` appended to `out`; nfc_code::ok, or
// < 0 when the read failed.
using PageReader = std::function<int(std::size_t page, std::vector<std::uint8_t>& out)>;
// The first NDEF text record of a Type 2 tag, read page by page through `read_pages` (the
// tag's READ command in read_tag; tag memory in tests/fuzz/ndef): ok with no text when the
// tag is blank, not NDEF formatted, or holds other records; < 0 when a read failed.
int read_type2_text(const PageReader& read_pages, std::optional<TextRecord>& text);

}  // namespace muster::nfc
