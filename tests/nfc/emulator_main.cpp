// muster-pn532-emulator: a PN532 reader on a pseudo-terminal for trying the kiosk or
// libnfc's tools by hand. Prints the device path, then takes commands on stdin:
//   place <uid-hex> [text...]      tap a card: 7-byte UID -> NTAG213, 4-byte -> MIFARE Classic;
//                                  with text -> NTAG213 (NTAG216 if long) holding an NDEF text record
//   place-as <type> <uid-hex> [text...]   type: ntag213 ntag216 classic iso4
//   remove | silent | back | garble | unplug | plug | stats | quit
// Options: --link <path>  keep a stable symlink to the pty (survives unplug/plug)
//          --trace        print every frame
#include "pn532_emulator.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

using namespace muster::test::pn532;

namespace {

bool place(Pn532Emulator& emulator, std::istringstream& words, std::optional<TagType> type) {
    std::string uid_hex, text;
    words >> uid_hex;
    std::getline(words >> std::ws, text);
    TagSpec spec;
    spec.uid = parse_hex(uid_hex);
    if (!text.empty()) spec.text = text;
    if (type) {
        spec.type = *type;
    } else if (!text.empty()) {
        spec.type = text.size() > 120 ? TagType::ntag216 : TagType::ntag213;
    } else {
        spec.type = spec.uid.size() == 4 ? TagType::mifare_classic_1k : TagType::ntag213;
    }
    emulator.place_tag(spec);
    std::printf("placed %s %s%s\n", to_string(spec.type), uid_hex.c_str(), text.empty() ? "" : " with NDEF text");
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    Pn532Emulator::Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--link" && i + 1 < argc) {
            options.link_path = argv[++i];
        } else if (arg == "--trace") {
            options.trace = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
        } else {
            std::fprintf(stderr, "usage: %s [--link <path>] [--trace]\n", argv[0]);
            return 2;
        }
    }
    try {
        Pn532Emulator emulator(options);
        std::printf("PN532 emulator on %s\n", emulator.pty_path().c_str());
        std::printf("connection string: %s\n", emulator.connstring().c_str());
        std::printf("try: LIBNFC_DEFAULT_DEVICE=%s nfc-list\n", emulator.connstring().c_str());
        std::fflush(stdout);

        std::string line;
        while (std::getline(std::cin, line)) {
            std::istringstream words(line);
            std::string command;
            if (!(words >> command)) continue;
            try {
                if (command == "place") {
                    place(emulator, words, std::nullopt);
                } else if (command == "place-as") {
                    std::string type_name;
                    words >> type_name;
                    const auto type = tag_type_from_string(type_name);
                    if (!type) throw std::invalid_argument("unknown tag type " + type_name);
                    place(emulator, words, type);
                } else if (command == "remove") {
                    emulator.remove_tag();
                } else if (command == "silent") {
                    emulator.go_silent();
                } else if (command == "back") {
                    emulator.come_back();
                } else if (command == "garble") {
                    emulator.send_garbled_next_frame();
                } else if (command == "unplug") {
                    emulator.unplug();
                } else if (command == "plug") {
                    emulator.plug();
                    std::printf("now on %s\n", emulator.pty_path().c_str());
                } else if (command == "stats") {
                    std::printf("searches %llu (empty %llu), exchanges %llu, corrupt frames %llu\n",
                                static_cast<unsigned long long>(emulator.commands_seen(0x4A)),
                                static_cast<unsigned long long>(emulator.empty_searches()),
                                static_cast<unsigned long long>(emulator.commands_seen(0x40)),
                                static_cast<unsigned long long>(emulator.corrupt_frames()));
                } else if (command == "quit") {
                    break;
                } else {
                    std::printf("unknown command %s\n", command.c_str());
                }
            } catch (const std::exception& e) {
                std::printf("error: %s\n", e.what());
            }
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "muster-pn532-emulator: %s\n", e.what());
        return 1;
    }
    return 0;
}
