#include "pn532_chip.hpp"

#include <algorithm>

namespace muster::test::pn532 {

namespace {

// PN532 status byte values (User Manual §7.1) the emulator uses.
constexpr std::uint8_t status_ok = 0x00;
constexpr std::uint8_t status_timeout = 0x01;      // the target did not answer
constexpr std::uint8_t status_mifare_nak = 0x14;   // a MIFARE card refused (NAK)
constexpr std::uint8_t status_wrong_context = 0x27;  // no such target selected

// Air time at 106 kbit/s: 9 bits a byte with parity (~85 us), plus frame delay and chip
// overhead per exchange; an activation (REQA, anticollision, SELECT per cascade level)
// and a search that finds nothing, from NXP's PN532 timing notes, rounded.
constexpr std::uint32_t air_us_per_byte = 85;
constexpr std::uint32_t air_us_per_exchange = 500;
constexpr std::uint32_t air_us_activation = 5000;
constexpr std::uint32_t air_us_empty_search = 3000;

constexpr std::uint8_t rf_item_field = 0x01;
constexpr std::uint8_t rf_item_max_retries = 0x05;

// GetFirmwareVersion: IC 0x32 (PN532), version 1.6, supports ISO 14443-A, -B and 18092.
constexpr std::array<std::uint8_t, 4> firmware{0x32, 0x01, 0x06, 0x07};
// NTAG213's GET_VERSION answer (data sheet §10.1).
constexpr std::array<std::uint8_t, 8> ntag213_version{0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x0F, 0x03};

}  // namespace

void Pn532Chip::place(EmulatedTag tag) {
    tag_ = std::move(tag);
    tag_selected_ = false;
}

void Pn532Chip::remove() {
    tag_.reset();
    tag_selected_ = false;
}

Pn532Chip::Reply Pn532Chip::handle(std::span<const std::uint8_t> command) {
    if (command.empty()) return {Reply::Kind::error_frame, {}};
    const std::uint8_t code = command[0];
    const auto p = command.subspan(1);
    ++seen_[code];
    Reply reply{Reply::Kind::response, {static_cast<std::uint8_t>(code + 1)}};
    auto& out = reply.data;

    switch (code) {
        case 0x00:  // Diagnose
            if (!p.empty() && p[0] == 0x06) {  // card presence
                out.push_back(target_active_ && tag_selected_ ? status_ok : status_timeout);
            } else {  // communication test (libnfc sends "libnfc") and the rest: echo
                out.insert(out.end(), p.begin(), p.end());
            }
            break;
        case 0x02: out.insert(out.end(), firmware.begin(), firmware.end()); break;
        case 0x04: {  // GetGeneralStatus: Err, Field, NbTg, [Tg BrRx BrTx Type], SAM
            const bool active = target_active_ && tag_selected_;
            out.insert(out.end(), {0x00, 0x01, static_cast<std::uint8_t>(active ? 1 : 0)});
            if (active) out.insert(out.end(), {0x01, 0x00, 0x00, 0x00});
            out.push_back(0x00);
            break;
        }
        case 0x06:  // ReadRegister: 16-bit addresses, one value byte each
            for (std::size_t i = 0; i + 1 < p.size(); i += 2) out.push_back(registers_[(p[i] << 8) | p[i + 1]]);
            break;
        case 0x08:  // WriteRegister: address (2) + value triples
            for (std::size_t i = 0; i + 2 < p.size(); i += 3) registers_[(p[i] << 8) | p[i + 1]] = p[i + 2];
            break;
        case 0x12:  // SetParameters
        case 0x14:  // SAMConfiguration
            break;
        case 0x16: out.push_back(status_ok); break;  // PowerDown
        case 0x32:  // RFConfiguration
            if (p.size() >= 2 && p[0] == rf_item_field && !(p[1] & 0x01)) {
                // Field off: every tag loses power and forgets it was selected.
                target_active_ = false;
                tag_selected_ = false;
            }
            if (p.size() >= 4 && p[0] == rf_item_max_retries) passive_activation_retries_ = p[3];
            break;
        case 0x40: {  // InDataExchange: Tg, data
            if (p.empty() || p[0] != 0x01) {
                out.push_back(status_wrong_context);
                break;
            }
            const auto answer = exchange(p.subspan(1), true);
            out.insert(out.end(), answer.begin(), answer.end());
            reply.air_time_us = air_us_per_exchange + air_us_per_byte * static_cast<std::uint32_t>(p.size() + answer.size() + 4);
            break;
        }
        case 0x42: {  // InCommunicateThru: raw frame into the field (CRC by the chip)
            const auto answer = exchange(p, false);
            out.insert(out.end(), answer.begin(), answer.end());
            reply.air_time_us = air_us_per_exchange + air_us_per_byte * static_cast<std::uint32_t>(p.size() + answer.size() + 4);
            break;
        }
        case 0x44:  // InDeselect
        case 0x52:  // InRelease
            target_active_ = false;
            tag_selected_ = false;
            out.push_back(status_ok);
            break;
        case 0x4A: {  // InListPassiveTarget
            bool answer = true;
            out = in_list_passive_target(p, answer);
            if (!answer) return {Reply::Kind::none, {}};
            reply.air_time_us = out.size() > 2 ? air_us_activation : air_us_empty_search;
            break;
        }
        case 0x46:  // InJumpForPSL
        case 0x4E:  // InPSL
        case 0x50:  // InATR
        case 0x56:  // InJumpForDEP: no NFC-DEP peer in the field
            out.push_back(status_timeout);
            break;
        default: return {Reply::Kind::error_frame, {}};
    }
    return reply;
}

std::vector<std::uint8_t> Pn532Chip::in_list_passive_target(std::span<const std::uint8_t> p, bool& answer) {
    std::vector<std::uint8_t> out{0x4B};
    const std::uint8_t baud_type = p.size() >= 2 ? p[1] : 0xFF;
    const auto initiator_data = p.size() > 2 ? p.subspan(2) : std::span<const std::uint8_t>{};
    target_active_ = false;
    // Only ISO 14443-A at 106 kbit/s (BrTy 0) has a tag to offer; FeliCa, B and Jewel
    // searches (nfc-list tries them all) find nothing.
    const bool match = baud_type == 0x00 && tag_ &&
                       (initiator_data.empty() || std::ranges::equal(initiator_data, tag_->cascaded_uid()));
    if (!match) {
        if (baud_type == 0x00) {
            // Told to retry forever, a real chip keeps searching and answers only when a
            // tag comes: libnfc times out first. Stay silent the same way.
            if (passive_activation_retries_ == 0xFF) {
                answer = false;
                return {};
            }
            ++empty_searches_;
        }
        out.push_back(0x00);
        return out;
    }
    target_active_ = true;
    tag_selected_ = true;
    const auto atqa = tag_->atqa();
    out.insert(out.end(), {0x01, 0x01, atqa[0], atqa[1], tag_->sak(), static_cast<std::uint8_t>(tag_->uid.size())});
    out.insert(out.end(), tag_->uid.begin(), tag_->uid.end());
    const auto ats = tag_->ats();
    out.insert(out.end(), ats.begin(), ats.end());
    return out;
}

std::vector<std::uint8_t> Pn532Chip::exchange(std::span<const std::uint8_t> frame, bool needs_target) {
    // InDataExchange addresses a selected target; InCommunicateThru just transmits, and
    // with nothing active in the field nobody answers (nfc-list's B', SR, CT and iClass
    // discovery frames land here).
    if (!target_active_) return {needs_target ? status_wrong_context : status_timeout};
    // The chip still believes in its target, but the tag is gone or is a fresh one.
    if (!tag_ || !tag_selected_ || frame.empty()) return {status_timeout};
    switch (tag_->type) {
        case TagType::ntag213:
        case TagType::ntag216: return type2_command(frame);
        case TagType::mifare_classic_1k: return {status_mifare_nak};  // every block needs CRYPTO1 auth first
        case TagType::iso14443_4:
            // An R(NAK) block (libnfc's presence ping) gets an R(ACK); any I-block gets
            // "file not found": the card holds nothing for us.
            if ((frame[0] & 0xF6) == 0xB2) return {status_ok, static_cast<std::uint8_t>(0xA2 | (frame[0] & 0x01))};
            return {status_ok, 0x6A, 0x82};
    }
    return {status_timeout};
}

std::vector<std::uint8_t> Pn532Chip::type2_command(std::span<const std::uint8_t> frame) {
    const std::size_t pages = tag_->pages();
    switch (frame[0]) {
        case 0x30: {  // READ: 4 pages from the given one, rolling over past the last
            if (frame.size() < 2 || frame[1] >= pages) return {status_mifare_nak};
            std::vector<std::uint8_t> out{status_ok};
            for (std::size_t i = 0; i < 16; ++i) out.push_back(tag_->memory[(frame[1] * 4 + i) % tag_->memory.size()]);
            return out;
        }
        case 0x60: {  // GET_VERSION
            std::vector<std::uint8_t> out{status_ok};
            out.insert(out.end(), ntag213_version.begin(), ntag213_version.end());
            if (tag_->type == TagType::ntag216) out[7] = 0x13;  // storage size byte
            return out;
        }
        default: return {status_mifare_nak};
    }
}

}  // namespace muster::test::pn532
