#include "keyboard_presence.hpp"

#include <string>

namespace muster::kiosk {
namespace {

constexpr std::string_view usb_bus = "Bus=0003";

bool has_word(std::string_view line, std::string_view word) {
    for (std::size_t at = line.find(word); at != std::string_view::npos; at = line.find(word, at + 1)) {
        bool starts = at == 0 || line[at - 1] == ' ' || line[at - 1] == '=';
        bool ends = at + word.size() == line.size() || line[at + word.size()] == ' ';
        if (starts && ends) return true;
    }
    return false;
}

}  // namespace

KeyboardPresence parse_input_devices(std::string_view text) {
    KeyboardPresence p;
    bool in_block = false, usb = false, keyboard = false;
    auto end_block = [&] {
        if (in_block) {
            ++p.devices;
            p.usb_keyboards += usb && keyboard;
        }
        in_block = usb = keyboard = false;
    };
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) {
            end_block();
            continue;
        }
        in_block = true;
        if (line.rfind("I:", 0) == 0) usb = line.find(usb_bus) != std::string_view::npos;
        if (line.rfind("H:", 0) == 0) keyboard = has_word(line, "kbd");
    }
    end_block();
    return p;
}

}  // namespace muster::kiosk
