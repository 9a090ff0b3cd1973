#pragma once
// The PN532's command set as libnfc 1.8 uses it (libnfc/chips/pn53x.c), with one tag that
// tests place in and remove from its field. No I/O: Pn532Emulator feeds it the commands
// it parsed from the serial link and writes back what it answers.
//
// Answered: Diagnose 00, GetFirmwareVersion 02, GetGeneralStatus 04, ReadRegister 06,
// WriteRegister 08, SetParameters 12, SAMConfiguration 14, PowerDown 16, RFConfiguration 32,
// InDataExchange 40, InCommunicateThru 42, InDeselect 44, InListPassiveTarget 4A,
// InRelease 52, and the DEP / PSL commands (no peer: timeout status). Anything else (the
// target-mode Tg* commands, InAutoPoll) gets the application error frame, as a PN532 does
// for a command it refuses.
#include "emulated_tag.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace muster::test::pn532 {

class Pn532Chip {
public:
    struct Reply {
        enum class Kind { response, error_frame, none };
        Kind kind = Kind::none;
        std::vector<std::uint8_t> data;  // response code (command + 1) and parameters
        // Time a real chip would spend on the radio for this command (ISO 14443-A at
        // 106 kbit/s), for Pn532Emulator's paced mode.
        std::uint32_t air_time_us = 0;
    };

    // One command frame's data (command code first).
    Reply handle(std::span<const std::uint8_t> command);

    void place(EmulatedTag tag);  // a new tag enters the field (replacing any other)
    void remove();
    bool has_tag() const { return tag_.has_value(); }

    // Searches (ISO 14443-A InListPassiveTarget) that found nothing.
    std::uint64_t empty_searches() const { return empty_searches_; }
    std::uint64_t commands_seen(std::uint8_t code) const { return seen_[code]; }

private:
    std::vector<std::uint8_t> in_list_passive_target(std::span<const std::uint8_t> p, bool& answer);
    // A frame to the selected tag; status byte then the tag's answer.
    std::vector<std::uint8_t> exchange(std::span<const std::uint8_t> frame, bool needs_target);
    std::vector<std::uint8_t> type2_command(std::span<const std::uint8_t> frame);

    std::optional<EmulatedTag> tag_;
    // The chip holds a selected target (InListPassiveTarget succeeded, not released since).
    bool target_active_ = false;
    // The tag in the field is the one that was selected (a removed and replaced tag has
    // powered up afresh and does not answer until it is selected again).
    bool tag_selected_ = false;
    std::uint8_t passive_activation_retries_ = 0xFF;  // RFConfiguration item 5; FF = forever
    std::array<std::uint8_t, 0x10000> registers_{};
    std::array<std::uint64_t, 256> seen_{};
    std::uint64_t empty_searches_ = 0;
};

}  // namespace muster::test::pn532
