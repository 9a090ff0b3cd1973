#pragma once
// Is a keyboard-wedge scanner plugged in? The window gets the scanner's keys through the
// display server, which says nothing about devices coming and going; the kernel's list of
// input devices (/proc/bus/input/devices) does. A USB barcode scanner is a USB device with
// a keyboard handler, so we count those. Pure parsing here; the source polls the file.
#include <string_view>

namespace muster::kiosk {

struct KeyboardPresence {
    int devices = 0;        // input devices the kernel lists (0: we cannot see any)
    int usb_keyboards = 0;  // of which USB devices with a keyboard handler ("kbd")
};

// Parses the text of /proc/bus/input/devices (blocks separated by blank lines; "I:" holds
// Bus=0003 for USB, "H: Handlers=" holds "kbd" for keyboards).
KeyboardPresence parse_input_devices(std::string_view text);

}  // namespace muster::kiosk
