// The keyboard-wedge source: the window's keys through the timing rule into the scan
// queue, and the scanner's presence (unplugged, plugged back) from the kernel's list.
#include "keyboard_presence.hpp"
#include "keyboard_wedge_source.hpp"
#include "scan_queue.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

using namespace std::chrono_literals;
using namespace muster::kiosk;

namespace {

// Two blocks as /proc/bus/input/devices prints them: a laptop keyboard (bus 0011, i8042)
// and a USB barcode scanner (bus 0003) that the kernel gives a keyboard handler.
const char* laptop_keyboard =
    "I: Bus=0011 Vendor=0001 Product=0001 Version=ab83\n"
    "N: Name=\"AT Translated Set 2 keyboard\"\n"
    "H: Handlers=sysrq kbd leds event0 \n"
    "B: EV=120013\n\n";
const char* usb_scanner =
    "I: Bus=0003 Vendor=0c2e Product=0b61 Version=0111\n"
    "N: Name=\"Honeywell Imaging & Mobility 1900\"\n"
    "H: Handlers=sysrq kbd leds event5 \n"
    "B: EV=120013\n\n";
const char* usb_mouse =
    "I: Bus=0003 Vendor=046d Product=c077 Version=0111\n"
    "N: Name=\"Logitech USB Optical Mouse\"\n"
    "H: Handlers=mouse0 event6 \n\n";

std::optional<RawScan> next_scan(ScanQueue& queue) { return queue.wait_next(2s); }

}  // namespace

TEST_CASE("the kernel's device list: USB keyboards (scanners) are told from others", "[kiosk][wedge]") {
    auto p = parse_input_devices(std::string(laptop_keyboard) + usb_scanner + usb_mouse);
    CHECK(p.devices == 3);
    CHECK(p.usb_keyboards == 1);
    auto without = parse_input_devices(std::string(laptop_keyboard) + usb_mouse);
    CHECK(without.devices == 2);
    CHECK(without.usb_keyboards == 0);
    CHECK(parse_input_devices("").devices == 0);
    // "kbdx" is not the keyboard handler; the last block needs no blank line after it.
    CHECK(parse_input_devices("I: Bus=0003\nH: Handlers=kbdx event1").usb_keyboards == 0);
    CHECK(parse_input_devices("I: Bus=0003\nH: Handlers=kbd event1").usb_keyboards == 1);
}

TEST_CASE("scanner state in words: connected, not connected, or not visible here", "[kiosk][wedge]") {
    CHECK(KeyboardWedgeSource::status_for(KeyboardPresence{3, 1}).state == SourceState::ready);
    auto unplugged = KeyboardWedgeSource::status_for(KeyboardPresence{2, 0});
    CHECK(unplugged.state == SourceState::unavailable);
    CHECK_THAT(unplugged.message, Catch::Contains("not connected"));
    // A container or thin client lists no devices: the keys still come, so it is ready.
    CHECK(KeyboardWedgeSource::status_for(std::nullopt).state == SourceState::ready);
    CHECK(KeyboardWedgeSource::status_for(KeyboardPresence{0, 0}).state == SourceState::ready);
}

TEST_CASE("wedge source: a burst from the window's keys reaches the queue, typing does not", "[kiosk][wedge][queue]") {
    muster::test::TempDir dir;
    std::ofstream(dir.file("devices")) << usb_scanner;
    ScanQueue queue;
    KeyboardWedgeSource wedge({{}, dir.file("devices"), 20ms});
    auto t = KeyboardWedgeSource::Clock::now();
    wedge.key("X", t);  // before start(): nowhere to send it, dropped
    wedge.start(queue);
    std::thread ui([&] {  // the window's callbacks run on another thread than the source's
        for (char c : std::string("olu")) wedge.key(std::string(1, c), t += 150ms);
        wedge.enter(t += 200ms);
        for (char c : std::string("M1:ABCDEFGHJK")) wedge.key(std::string(1, c), t += 4ms);
        wedge.enter(t += 4ms);
    });
    ui.join();
    auto scan = next_scan(queue);
    REQUIRE(scan);
    CHECK(scan->payload == "M1:ABCDEFGHJK");
    CHECK(scan->input == InputKind::wedge);
    CHECK(queue.drain().empty());  // the slow "olu" was a person, not a scan
    wedge.stop();
    wedge.stop();  // twice is fine
}

TEST_CASE("wedge source: the scanner unplugged and plugged back shows, without a restart", "[kiosk][wedge]") {
    muster::test::TempDir dir;
    auto devices = dir.file("devices");
    auto write = [&](const std::string& text) {
        std::ofstream(devices + ".new") << text;
        std::filesystem::rename(devices + ".new", devices);  // as the kernel's file changes: all at once
    };
    auto state_becomes = [&](ScanQueue& queue, SourceState want) {
        for (int i = 0; i < 200; ++i) {
            auto s = queue.statuses();
            if (s.count(InputKind::wedge) && s.at(InputKind::wedge).state == want) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    };
    write(std::string(laptop_keyboard) + usb_scanner);
    ScanQueue queue;
    KeyboardWedgeSource wedge({{}, devices, 20ms});
    wedge.start(queue);
    CHECK(state_becomes(queue, SourceState::ready));
    write(laptop_keyboard);  // pulled out
    CHECK(state_becomes(queue, SourceState::unavailable));
    write(std::string(laptop_keyboard) + usb_scanner);  // back in
    CHECK(state_becomes(queue, SourceState::ready));
    auto t = KeyboardWedgeSource::Clock::now();
    for (char c : std::string("M1:QRSTUVWXYZ")) wedge.key(std::string(1, c), t += 3ms);
    wedge.enter(t += 3ms);
    auto scan = next_scan(queue);
    REQUIRE(scan);
    CHECK(scan->payload == "M1:QRSTUVWXYZ");
}
