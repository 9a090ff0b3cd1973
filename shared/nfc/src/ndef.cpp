#include "muster/nfc/ndef.hpp"

#include <string_view>

namespace muster::nfc {

namespace {

constexpr std::uint8_t tlv_null = 0x00;
constexpr std::uint8_t tlv_ndef = 0x03;
constexpr std::uint8_t tlv_terminator = 0xFE;
constexpr std::uint8_t tnf_well_known = 0x01;

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// NDEF text records may be UTF-16 (status bit 7); big-endian unless a BOM says otherwise.
std::optional<std::string> utf16_to_utf8(std::span<const std::uint8_t> bytes) {
    if (bytes.size() % 2 != 0) return std::nullopt;
    bool little = false;
    std::size_t i = 0;
    if (bytes.size() >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))) {
        little = bytes[0] == 0xFF;
        i = 2;
    }
    auto unit = [&](std::size_t at) -> std::uint32_t {
        return little ? (bytes[at] | (bytes[at + 1] << 8)) : ((bytes[at] << 8) | bytes[at + 1]);
    };
    std::string out;
    for (; i < bytes.size(); i += 2) {
        std::uint32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 3 >= bytes.size()) return std::nullopt;
            const std::uint32_t low = unit(i + 2);
            if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 2;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return std::nullopt;
        }
        append_utf8(out, cp);
    }
    return out;
}

std::optional<TextRecord> decode_text_payload(std::span<const std::uint8_t> payload) {
    if (payload.empty()) return std::nullopt;
    const std::uint8_t status = payload[0];
    const std::size_t lang_len = status & 0x3F;
    if (1 + lang_len > payload.size()) return std::nullopt;
    TextRecord record;
    record.language.assign(payload.begin() + 1, payload.begin() + 1 + static_cast<std::ptrdiff_t>(lang_len));
    const auto body = payload.subspan(1 + lang_len);
    if (status & 0x80) {
        auto text = utf16_to_utf8(body);
        if (!text) return std::nullopt;
        record.text = std::move(*text);
    } else {
        record.text.assign(body.begin(), body.end());
    }
    return record;
}

}  // namespace

std::optional<CapabilityContainer> parse_capability_container(std::span<const std::uint8_t, 4> page3) {
    if (page3[0] != 0xE1) return std::nullopt;  // not NDEF-formatted
    if ((page3[1] >> 4) != 1) return std::nullopt;  // major version 1 is the only one defined
    return CapabilityContainer{static_cast<std::size_t>(page3[2]) * 8};
}

NdefTlv locate_ndef_tlv(std::span<const std::uint8_t> data) {
    std::size_t at = 0;
    while (at < data.size()) {
        const std::uint8_t type = data[at];
        if (type == tlv_null) {
            ++at;
            continue;
        }
        if (type == tlv_terminator) return {};
        // Every other TLV (lock / memory control, proprietary, NDEF) has a length field:
        // one byte, or 0xFF followed by two big-endian bytes.
        if (at + 1 >= data.size()) return {NdefTlv::Found::need_more_bytes};
        std::size_t length = data[at + 1];
        std::size_t value = at + 2;
        if (length == 0xFF) {
            if (at + 3 >= data.size()) return {NdefTlv::Found::need_more_bytes};
            length = (static_cast<std::size_t>(data[at + 2]) << 8) | data[at + 3];
            value = at + 4;
        }
        if (type == tlv_ndef) return {NdefTlv::Found::message, value, length};
        at = value + length;
    }
    return {NdefTlv::Found::need_more_bytes};
}

std::optional<TextRecord> first_text_record(std::span<const std::uint8_t> message) {
    std::size_t at = 0;
    while (at < message.size()) {
        const std::uint8_t header = message[at];
        const bool message_end = header & 0x40;
        const bool chunked = header & 0x20;
        const bool short_record = header & 0x10;
        const bool has_id = header & 0x08;
        const std::uint8_t tnf = header & 0x07;

        std::size_t p = at + 1;
        if (p >= message.size()) return std::nullopt;
        const std::size_t type_len = message[p++];
        std::size_t payload_len = 0;
        if (short_record) {
            if (p >= message.size()) return std::nullopt;
            payload_len = message[p++];
        } else {
            if (p + 4 > message.size()) return std::nullopt;
            payload_len = (static_cast<std::size_t>(message[p]) << 24) | (static_cast<std::size_t>(message[p + 1]) << 16) |
                          (static_cast<std::size_t>(message[p + 2]) << 8) | message[p + 3];
            p += 4;
        }
        std::size_t id_len = 0;
        if (has_id) {
            if (p >= message.size()) return std::nullopt;
            id_len = message[p++];
        }
        // Compare against what is left rather than adding, so a huge declared length
        // cannot overflow the sum.
        const std::size_t left = message.size() - p;
        if (type_len > left || id_len > left - type_len || payload_len > left - type_len - id_len) return std::nullopt;
        const auto type = message.subspan(p, type_len);
        const auto payload = message.subspan(p + type_len + id_len, payload_len);

        // Chunked records are not written by any badge tool we know; skip them rather
        // than reassemble.
        if (!chunked && tnf == tnf_well_known && type.size() == 1 && type[0] == 'T') {
            if (auto record = decode_text_payload(payload)) return record;
        }
        if (message_end) return std::nullopt;
        at = p + type_len + id_len + payload_len;
    }
    return std::nullopt;
}

}  // namespace muster::nfc
