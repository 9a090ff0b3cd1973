// NFC cards as the kiosk reads them (shared/nfc: ndef.cpp, tag_reader.cpp's
// read_type2_text), any bytes at all. The first byte chooses:
//  0: the rest is a Type 2 tag's memory from page 0 (UID, capability container at page 3,
//     the data area from page 4), read page by page as read_tag reads a card, reads past the
//     end failing as a card pulled away does. It must end within the largest tag's pages,
//     and locate_ndef_tlv on any page-sized prefix of the data area must either ask for more
//     bytes or give the answer it gives on the whole area (the reader asks on prefixes);
//  1: the rest is an NDEF message: first_text_record, whose language code fits its 6 bits;
//  2: a text record round trip: [language length][language][text] written onto an NTAG216
//     by the NFC tests' badge writer (tests/nfc/emulated_tag.cpp), read back through
//     read_type2_text: the same language and text;
//  3: the same with the text as UTF-16 (status bit 7), big- or little-endian, with or
//     without a byte-order mark: read back as the same UTF-8.
#include "../../nfc/emulated_tag.hpp"

#include "muster/nfc/ndef.hpp"
#include "muster/nfc/tag_reader.hpp"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace muster;
using Bytes = std::vector<std::uint8_t>;

void check(bool condition) {
    if (!condition) std::abort();  // libFuzzer keeps the input as a crash
}

bool same(const nfc::NdefTlv& a, const nfc::NdefTlv& b) {
    return a.found == b.found && a.value_offset == b.value_offset && a.length == b.length;
}

// Reads `memory` as a tag does: READ gives 16 bytes from a page, and fails past the end.
// Returns read_type2_text's code; counts the READs.
int read_memory(const Bytes& memory, std::optional<nfc::TextRecord>& text, std::size_t& reads) {
    reads = 0;
    auto read_pages = [&](std::size_t page, Bytes& out) {
        ++reads;
        check(reads <= 64);  // NTAG216's 888-byte data area is 56 READs: a loop would show here
        if (page * 4 >= memory.size()) return nfc::nfc_code::rf_transmission;
        for (std::size_t i = page * 4; i < page * 4 + 16; ++i) out.push_back(i < memory.size() ? memory[i] : 0);
        return nfc::nfc_code::ok;
    };
    return nfc::read_type2_text(read_pages, text);
}

void tag_memory(std::span<const std::uint8_t> rest) {
    const Bytes memory(rest.begin(), rest.end());
    std::optional<nfc::TextRecord> text;
    std::size_t reads = 0;
    const int code = read_memory(memory, text, reads);
    check(code == nfc::nfc_code::ok || code == nfc::nfc_code::rf_transmission);
    if (text) check(text->language.size() <= 0x3F);
    if (rest.size() > 16) {
        const auto area = rest.subspan(16);
        const auto whole = nfc::locate_ndef_tlv(area);
        for (std::size_t k = 0; k <= area.size(); k += 4) {
            const auto part = nfc::locate_ndef_tlv(area.first(k));
            check(part.found == nfc::NdefTlv::Found::need_more_bytes || same(part, whole));
        }
    }
}

void message(std::span<const std::uint8_t> rest) {
    if (auto record = nfc::first_text_record(rest)) {
        check(record->language.size() <= 0x3F);
        check(record->language.size() + record->text.size() <= rest.size() * 2);
    }
}

void utf8_round_trip(std::span<const std::uint8_t> rest) {
    if (rest.empty()) return;
    const std::size_t lang_len = std::min<std::size_t>(rest[0] & 0x3F, rest.size() - 1);
    const std::string language(rest.begin() + 1, rest.begin() + 1 + static_cast<std::ptrdiff_t>(lang_len));
    const std::string text(rest.begin() + 1 + static_cast<std::ptrdiff_t>(lang_len), rest.end());
    const Bytes message = test::pn532::ndef_text_message(text, language);
    auto direct = nfc::first_text_record(message);
    check(direct && direct->language == language && direct->text == text);

    test::pn532::TagSpec spec;
    spec.uid = {0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0x80};
    spec.type = test::pn532::TagType::ntag216;
    spec.text = text;
    spec.language = language;
    test::pn532::EmulatedTag tag;
    try {
        tag = test::pn532::make_tag(spec);
    } catch (const std::invalid_argument&) {
        return;  // more than the tag holds
    }
    std::optional<nfc::TextRecord> read;
    std::size_t reads = 0;
    check(read_memory(tag.memory, read, reads) == nfc::nfc_code::ok);
    check(read && read->language == language && read->text == text);
}

// Strict UTF-8: shortest forms, no surrogates, nothing past U+10FFFF (what UTF-16 can carry).
bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const int n = b < 0x80 ? 1 : (b >= 0xC2 && b < 0xE0) ? 2 : (b >= 0xE0 && b < 0xF0) ? 3 : (b >= 0xF0 && b < 0xF5) ? 4 : 0;
        if (n == 0 || i + static_cast<std::size_t>(n) > s.size()) return false;
        std::uint32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += static_cast<std::size_t>(n);
    }
    return true;
}

void push_unit(Bytes& out, std::uint32_t unit, bool little) {
    if (little) out.insert(out.end(), {static_cast<std::uint8_t>(unit), static_cast<std::uint8_t>(unit >> 8)});
    else out.insert(out.end(), {static_cast<std::uint8_t>(unit >> 8), static_cast<std::uint8_t>(unit)});
}

// UTF-8 (valid) to UTF-16 code units.
Bytes utf16(const std::string& text, bool little, bool bom) {
    Bytes out;
    if (bom) push_unit(out, 0xFEFF, little);
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        std::uint32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]) & 0x3F);
        i += static_cast<std::size_t>(n);
        if (cp >= 0x10000) {
            push_unit(out, 0xD800 + ((cp - 0x10000) >> 10), little);
            push_unit(out, 0xDC00 + ((cp - 0x10000) & 0x3FF), little);
        } else {
            push_unit(out, cp, little);
        }
    }
    return out;
}

void utf16_round_trip(std::span<const std::uint8_t> rest) {
    if (rest.size() < 2) return;
    const bool little = rest[0] & 0x40, bom = rest[0] & 0x80;
    const std::size_t lang_len = std::min<std::size_t>(rest[0] & 0x3F, rest.size() - 1);
    const std::string language(rest.begin() + 1, rest.begin() + 1 + static_cast<std::ptrdiff_t>(lang_len));
    const std::string text(rest.begin() + 1 + static_cast<std::ptrdiff_t>(lang_len), rest.end());
    if (!valid_utf8(text)) return;
    // Without a byte-order mark a text starting with U+FEFF or U+FFFE would read as one.
    if (!bom && (text.rfind("\xEF\xBB\xBF", 0) == 0 || text.rfind("\xEF\xBF\xBE", 0) == 0)) return;
    if (!bom && little) return;  // no mark means big-endian
    Bytes payload{static_cast<std::uint8_t>(0x80 | lang_len)};
    payload.insert(payload.end(), language.begin(), language.end());
    const Bytes body = utf16(text, little, bom);
    payload.insert(payload.end(), body.begin(), body.end());
    // One well-known 'T' record, short or long as the payload needs.
    Bytes record{static_cast<std::uint8_t>(payload.size() <= 0xFF ? 0xD1 : 0xC1), 1};
    if (payload.size() <= 0xFF) record.push_back(static_cast<std::uint8_t>(payload.size()));
    else
        for (int shift = 24; shift >= 0; shift -= 8) record.push_back(static_cast<std::uint8_t>(payload.size() >> shift));
    record.push_back('T');
    record.insert(record.end(), payload.begin(), payload.end());
    auto read = nfc::first_text_record(record);
    check(read && read->language == language && read->text == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::span<const std::uint8_t> rest(data + 1, size - 1);
    switch (data[0] % 4) {
        case 0: tag_memory(rest); break;
        case 1: message(rest); break;
        case 2: utf8_round_trip(rest); break;
        case 3: utf16_round_trip(rest); break;
    }
    return 0;
}
