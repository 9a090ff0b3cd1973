#include "emulated_tag.hpp"

#include <span>
#include <stdexcept>

namespace muster::test::pn532 {

namespace {

// Pages and data-area size byte (CC[2] = bytes / 8) from the NTAG21x data sheet.
struct NtagLayout {
    std::size_t pages;
    std::uint8_t cc_size;
};
constexpr NtagLayout ntag213_layout{45, 0x12};   // 144-byte data area
constexpr NtagLayout ntag216_layout{231, 0x6D};  // 872-byte data area

std::vector<std::uint8_t> ndef_record(std::uint8_t type, std::span<const std::uint8_t> payload) {
    std::vector<std::uint8_t> record;
    const bool short_record = payload.size() <= 0xFF;
    record.push_back(static_cast<std::uint8_t>(0xC0 | (short_record ? 0x10 : 0x00) | 0x01));  // MB ME [SR] TNF=well-known
    record.push_back(1);  // type length
    if (short_record) {
        record.push_back(static_cast<std::uint8_t>(payload.size()));
    } else {
        for (int shift = 24; shift >= 0; shift -= 8) record.push_back(static_cast<std::uint8_t>(payload.size() >> shift));
    }
    record.push_back(type);
    record.insert(record.end(), payload.begin(), payload.end());
    return record;
}

std::vector<std::uint8_t> ntag_memory(const TagSpec& spec, NtagLayout layout) {
    std::vector<std::uint8_t> mem(layout.pages * 4, 0x00);
    const auto& u = spec.uid;
    if (u.size() == 7) {
        // Pages 0-2: UID with its check bytes BCC0 = 88^u0^u1^u2, BCC1 = u3^u4^u5^u6.
        mem[0] = u[0], mem[1] = u[1], mem[2] = u[2], mem[3] = 0x88 ^ u[0] ^ u[1] ^ u[2];
        mem[4] = u[3], mem[5] = u[4], mem[6] = u[5], mem[7] = u[6];
        mem[8] = u[3] ^ u[4] ^ u[5] ^ u[6];
        mem[9] = 0x48;  // internal byte, as shipped
    } else {
        std::copy(u.begin(), u.end(), mem.begin());
    }
    if (!spec.ndef_formatted) return mem;
    mem[12] = 0xE1, mem[13] = 0x10, mem[14] = layout.cc_size, mem[15] = 0x00;

    std::vector<std::uint8_t> message;
    if (spec.ndef_message) message = *spec.ndef_message;
    else if (spec.text) message = ndef_text_message(*spec.text, spec.language);
    std::vector<std::uint8_t> tlv{0x03};
    if (message.size() < 0xFF) {
        tlv.push_back(static_cast<std::uint8_t>(message.size()));
    } else {
        tlv.insert(tlv.end(), {0xFF, static_cast<std::uint8_t>(message.size() >> 8), static_cast<std::uint8_t>(message.size())});
    }
    tlv.insert(tlv.end(), message.begin(), message.end());
    tlv.push_back(0xFE);
    if (tlv.size() > static_cast<std::size_t>(layout.cc_size) * 8) throw std::invalid_argument("NDEF message does not fit the tag");
    std::copy(tlv.begin(), tlv.end(), mem.begin() + 16);
    return mem;
}

}  // namespace

const char* to_string(TagType type) {
    switch (type) {
        case TagType::ntag213: return "ntag213";
        case TagType::ntag216: return "ntag216";
        case TagType::mifare_classic_1k: return "classic";
        case TagType::iso14443_4: return "iso4";
    }
    return "?";
}

std::optional<TagType> tag_type_from_string(std::string_view name) {
    for (TagType t : {TagType::ntag213, TagType::ntag216, TagType::mifare_classic_1k, TagType::iso14443_4})
        if (name == to_string(t)) return t;
    return std::nullopt;
}

std::array<std::uint8_t, 2> EmulatedTag::atqa() const {
    // Bits 7-6 of the low byte give the UID size: single (4), double (7), triple (10).
    const std::uint8_t size_bits = uid.size() == 4 ? 0x00 : uid.size() == 7 ? 0x40 : 0x80;
    switch (type) {
        case TagType::ntag213:
        case TagType::ntag216:
        case TagType::mifare_classic_1k: return {0x00, static_cast<std::uint8_t>(size_bits | 0x04)};
        case TagType::iso14443_4: return {0x03, static_cast<std::uint8_t>(size_bits | 0x04)};  // as a DESFire EV1
    }
    return {0x00, 0x04};
}

std::uint8_t EmulatedTag::sak() const {
    switch (type) {
        case TagType::ntag213:
        case TagType::ntag216: return 0x00;
        case TagType::mifare_classic_1k: return 0x08;
        case TagType::iso14443_4: return 0x20;
    }
    return 0x00;
}

std::vector<std::uint8_t> EmulatedTag::ats() const {
    if (type != TagType::iso14443_4) return {};
    return {0x06, 0x75, 0x77, 0x81, 0x02, 0x80};  // DESFire EV1's ATS
}

std::vector<std::uint8_t> EmulatedTag::cascaded_uid() const {
    if (uid.size() == 4) return uid;
    std::vector<std::uint8_t> out{0x88, uid[0], uid[1], uid[2]};
    if (uid.size() == 7) {
        out.insert(out.end(), uid.begin() + 3, uid.end());
    } else {
        out.insert(out.end(), {0x88, uid[3], uid[4], uid[5]});
        out.insert(out.end(), uid.begin() + 6, uid.end());
    }
    return out;
}

EmulatedTag make_tag(const TagSpec& spec) {
    if (spec.uid.size() != 4 && spec.uid.size() != 7 && spec.uid.size() != 10)
        throw std::invalid_argument("a UID has 4, 7 or 10 bytes");
    EmulatedTag tag;
    tag.type = spec.type;
    tag.uid = spec.uid;
    if (spec.type == TagType::ntag213) tag.memory = ntag_memory(spec, ntag213_layout);
    if (spec.type == TagType::ntag216) tag.memory = ntag_memory(spec, ntag216_layout);
    if ((spec.text || spec.ndef_message) && tag.memory.empty())
        throw std::invalid_argument("only NTAG tags carry NDEF in the emulator");
    return tag;
}

std::vector<std::uint8_t> ndef_text_message(std::string_view text, std::string_view language) {
    if (language.size() > 0x3F) throw std::invalid_argument("language code too long");
    std::vector<std::uint8_t> payload{static_cast<std::uint8_t>(language.size())};  // UTF-8
    payload.insert(payload.end(), language.begin(), language.end());
    payload.insert(payload.end(), text.begin(), text.end());
    return ndef_record('T', payload);
}

std::vector<std::uint8_t> ndef_uri_message(std::string_view rest_after_https) {
    std::vector<std::uint8_t> payload{0x04};
    payload.insert(payload.end(), rest_after_https.begin(), rest_after_https.end());
    return ndef_record('U', payload);
}

std::vector<std::uint8_t> parse_hex(std::string_view hex) {
    std::vector<std::uint8_t> out;
    int high = -1;
    for (char c : hex) {
        if (c == ' ' || c == ':') continue;
        int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (v < 0) throw std::invalid_argument("not a hex digit in \"" + std::string(hex) + "\"");
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0) throw std::invalid_argument("odd number of hex digits");
    return out;
}

}  // namespace muster::test::pn532
