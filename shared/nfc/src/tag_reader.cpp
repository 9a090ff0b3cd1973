#include "muster/nfc/tag_reader.hpp"

#include <array>

namespace muster::nfc {

namespace {

constexpr std::uint8_t cmd_read = 0x30;  // Type 2 READ: 4 pages (16 bytes) from a page
constexpr std::size_t page_size = 4;
// NTAG216, the largest Type 2 tag, has 888 bytes of data area; never read beyond that.
constexpr std::size_t max_data_area = 888;
constexpr std::chrono::milliseconds read_timeout{200};

// READ at `page`: appends 16 bytes to `out`.
int read_pages(NfcReader& reader, std::size_t page, std::vector<std::uint8_t>& out) {
    const std::array<std::uint8_t, 2> tx{cmd_read, static_cast<std::uint8_t>(page)};
    std::array<std::uint8_t, 16> rx{};
    const int n = reader.transceive(tx, rx, read_timeout);
    if (n < 0) return n;
    if (n != static_cast<int>(rx.size())) return nfc_code::rf_transmission;
    out.insert(out.end(), rx.begin(), rx.end());
    return nfc_code::ok;
}

}  // namespace

const char* to_string(TagFamily family) {
    switch (family) {
        case TagFamily::type2: return "NTAG/Ultralight";
        case TagFamily::mifare_classic: return "MIFARE Classic";
        case TagFamily::iso14443_4: return "ISO 14443-4";
        case TagFamily::other: return "other ISO 14443-A";
    }
    return "?";
}

TagFamily classify(const SelectedTag& tag) {
    if (tag.sak & 0x20) return TagFamily::iso14443_4;
    if (tag.sak & 0x08) return TagFamily::mifare_classic;  // 0x08 1K, 0x18 4K, 0x09 Mini
    // SAK 0x00 with ATQA 00 44 is Ultralight / NTAG; other SAK 0x00 tags are read the same
    // way and simply show no capability container if they are not Type 2.
    if (tag.sak == 0x00) return TagFamily::type2;
    return TagFamily::other;
}

std::string uid_hex(const std::vector<std::uint8_t>& uid) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(uid.size() * 2);
    for (std::uint8_t b : uid) {
        out += digits[b >> 4];
        out += digits[b & 0x0F];
    }
    return out;
}

int read_type2_text(const PageReader& read_pages, std::optional<TextRecord>& text) {
    std::vector<std::uint8_t> bytes;  // from page 3: the CC, then the data area
    if (int res = read_pages(3, bytes); res < 0) return res;
    const auto cc = parse_capability_container(std::span<const std::uint8_t, 4>(bytes.data(), 4));
    if (!cc) return nfc_code::ok;
    const std::size_t area = std::min(cc->data_area_bytes, max_data_area);

    auto data = [&] { return std::span<const std::uint8_t>(bytes).subspan(page_size, bytes.size() - page_size); };
    auto read_more = [&] { return read_pages(3 + bytes.size() / page_size, bytes); };

    NdefTlv tlv = locate_ndef_tlv(data());
    while (tlv.found == NdefTlv::Found::need_more_bytes && data().size() < area) {
        if (int res = read_more(); res < 0) return res;
        tlv = locate_ndef_tlv(data());
    }
    if (tlv.found != NdefTlv::Found::message) return nfc_code::ok;
    const std::size_t end = tlv.value_offset + tlv.length;
    if (end > area) return nfc_code::ok;  // a length the tag cannot hold: malformed, ignore
    while (data().size() < end) {
        if (int res = read_more(); res < 0) return res;
    }
    text = first_text_record(data().subspan(tlv.value_offset, tlv.length));
    return nfc_code::ok;
}

TagReadOutcome read_tag(NfcReader& reader, const SelectedTag& tag) {
    TagReadOutcome outcome;
    outcome.read.uid = uid_hex(tag.uid);
    outcome.read.family = classify(tag);
    if (outcome.read.family == TagFamily::type2) outcome.error = read_type2_text(
        [&reader](std::size_t page, std::vector<std::uint8_t>& out) { return read_pages(reader, page, out); }, outcome.read.text);
    return outcome;
}

}  // namespace muster::nfc
