#pragma once
// What a tap yields: the tag's UID and, on NFC Forum Type 2 tags (NTAG21x, MIFARE
// Ultralight), the first NDEF text record, read page by page with the tag's READ command.
// MIFARE Classic and ISO 14443-4 cards (DESFire, phones, bank cards) give their UID only:
// Classic NDEF needs sector authentication with the MAD keys, which badges do not use.
#include "muster/nfc/ndef.hpp"
#include "muster/nfc/nfc_reader.hpp"

#include <optional>
#include <string>

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

}  // namespace muster::nfc
