#pragma once
// A PN532 on a pseudo-terminal, so libnfc's real pn532_uart driver (and nfc-list) talk to
// it exactly as to a reader on /dev/ttyUSB0. A thread reads the host's frames from the pty
// master, ACKs each command and answers it through Pn532Chip; tests cue what happens in
// the field and on the wire:
//   place_tag / remove_tag          a card tapped, held, lifted
//   go_silent / come_back           the reader stops answering (no ACK, nothing) and recovers
//   send_garbled_next_frame         the next answer arrives with a broken checksum
//   unplug / plug                   the device file disappears and comes back (needs a link)
//
// The pty's slave side is /dev/pts/N. With Options::link_path the emulator also keeps a
// symlink there pointing at the current pty, so a connection string can name a stable
// path across unplug / plug, like a udev rule's /dev/nfc-reader.
#include "emulated_tag.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace muster::test::pn532 {

class Pn532Chip;

class Pn532Emulator {
public:
    struct Options {
        std::string link_path;  // optional stable path (symlink) to the pty
        // Called on the emulator thread with one line per frame ("host> D4 4A 01 00").
        std::function<void(const std::string&)> trace;
        // 0: answer at once. Otherwise hold each answer back for as long as the command,
        // the ACK and the answer take on a real UART at this rate (10 bits a byte) plus the
        // chip's time on the radio, so latency figures include what a PN532 module costs.
        unsigned simulate_baud = 0;
    };

    Pn532Emulator();
    explicit Pn532Emulator(Options options);  // throws std::runtime_error if no pty
    ~Pn532Emulator();
    Pn532Emulator(const Pn532Emulator&) = delete;
    Pn532Emulator& operator=(const Pn532Emulator&) = delete;

    // The link path if there is one, else the pty's /dev/pts/N.
    std::string device_path() const;
    std::string pty_path() const;
    // "pn532_uart:<device_path>:115200", for nfc_open() or LIBNFC_DEFAULT_DEVICE.
    std::string connstring() const;

    void place_tag(const TagSpec& spec);  // throws std::invalid_argument on a bad spec
    void remove_tag();
    void go_silent();
    void come_back();
    void send_garbled_next_frame();
    void unplug();  // closes the pty (libnfc's reads and writes fail) and removes the link
    void plug();    // a new pty, the link pointing at it

    std::uint64_t commands_seen(std::uint8_t code) const;
    std::uint64_t empty_searches() const;  // ISO 14443-A searches answered "no tag"
    std::uint64_t corrupt_frames() const;  // host frames with bad checksums
    std::uint64_t frames_dropped_silent() const;

private:
    void open_pty();
    void close_pty();
    void run();
    void send(const std::vector<std::uint8_t>& bytes);
    void apply_plug_request();

    Options options_;
    std::unique_ptr<Pn532Chip> chip_;
    mutable std::mutex mutex_;  // guards the chip, the cues, the counters and the fds
    std::condition_variable plug_done_;
    bool silent_ = false;
    bool garble_next_ = false;
    bool want_plugged_ = true;
    bool plugged_ = false;
    bool stopping_ = false;
    std::uint64_t corrupt_frames_ = 0;
    std::uint64_t dropped_silent_ = 0;

    int master_fd_ = -1;
    int slave_fd_ = -1;  // kept open so the master never sees a hang-up between libnfc opens
    int wake_fd_ = -1;   // eventfd: cues and stop wake the thread's poll()
    std::string pty_path_;
    std::thread thread_;
};

}  // namespace muster::test::pn532
