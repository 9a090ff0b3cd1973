#pragma once
// The NFC reader as a kiosk input. A worker thread owns the libnfc reader: it searches for
// an ISO 14443-A tag every poll period, reads it (UID, NDEF text) and reports one RawScan
// per tap. While the tag stays on the reader it only checks that it is still there, so a
// held card is one scan; once it is gone the next tap is a new scan.
//
// A missing, unplugged or silent reader is a status, never an exception: the source keeps
// reopening it with a growing back-off and says why on the status line, so the kiosk runs
// on its other inputs meanwhile.
//
// stop() returns once the libnfc call in flight has returned: under a poll period on a
// healthy reader, up to about 1.5 s while reopening a reader that does not answer (libnfc's
// own wake-up timeout; it cannot be interrupted).
#include "muster/nfc/tag_reader.hpp"
#include "muster/util/worker.hpp"
#include "source_status_board.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

namespace muster::kiosk::nfc {

class NfcSource final : public ScanSource {
public:
    struct Options {
        // libnfc connection string, e.g. "pn532_uart:/dev/ttyUSB0". Empty: libnfc's
        // auto-scan (USB readers, and serial ones if the libnfc config allows intrusive scan).
        std::string connstring;
        // How often an idle reader is asked for a tag: the only work done while nobody
        // taps. Tap-to-scan is up to this plus the read, which on a PN532 at 115200 baud
        // is ~70 ms for a 123-character token (9 page READs): 60 ms keeps p99 under 150 ms
        // (docs/nfc.md) at well under 1% of a core.
        std::chrono::milliseconds poll_every{60};
        std::chrono::milliseconds retry_first{250};  // reopening: first wait, doubled up to
        std::chrono::milliseconds retry_max{2000};   // this
        int errors_before_reconnect = 3;             // consecutive failed exchanges
        // A Type 2 tag whose NDEF area keeps failing to read is reported by UID after this
        // many attempts (a torn or damaged tag still checks in if its UID is enrolled).
        int read_attempts = 3;
    };

    explicit NfcSource(Options options);
    ~NfcSource() override;

    InputKind kind() const override { return InputKind::nfc; }
    void start(ScanSink& sink) override;  // throws std::logic_error if already started
    void stop() override;

    SourceStatus status() const;

    // Card enrolment (staff screen, CLI): waits up to `timeout` for the next new tap and
    // returns what was read; nullopt on timeout or stop(). While a wait is pending the tap
    // goes to the waiter(s) only, not to the sink, so attaching a card is not a check-in.
    // A card already resting on the reader is not "next": lift it and tap again.
    std::optional<muster::nfc::TagRead> wait_for_tag(std::chrono::milliseconds timeout);
    // True while a wait_for_tag call is pending: a staff screen (or a test) can tell that
    // the next tap will go to it.
    bool enrolment_waiting() const;

    std::uint64_t scans_reported() const;

private:
    struct Held {  // the tag on the reader since its scan
        std::vector<std::uint8_t> uid;
        bool presence_check_supported = true;
    };

    void run(std::stop_token stop, ScanSink& sink);
    bool open_reader(muster::nfc::NfcContext& context, ScanSink& sink);
    void drop_reader(ScanSink& sink, const std::string& why);
    int search(ScanSink& sink);
    int check_held();
    void deliver(ScanSink& sink, muster::nfc::TagRead read, std::chrono::steady_clock::time_point seen_at);
    void report(ScanSink& sink, SourceState state, std::string message);

    Options options_;

    mutable std::mutex mutex_;  // guards everything below that other threads read
    std::condition_variable tag_for_waiters_;
    bool stopping_ = false;  // releases enrolment waiters; the worker has its stop_token
    SourceStatusBoard status_{{InputKind::nfc, SourceState::starting, "NFC reader starting"}};
    int enrol_waiters_ = 0;
    std::uint64_t enrol_sequence_ = 0;
    muster::nfc::TagRead enrolled_;
    std::uint64_t scans_ = 0;

    // Worker thread only.
    std::unique_ptr<muster::nfc::NfcReader> reader_;
    std::optional<Held> held_;
    // The tag that was held when the reader dropped out: if it is still there when the
    // reader comes back, it is the same tap, not a new one.
    std::optional<std::vector<std::uint8_t>> held_before_outage_;
    std::vector<std::uint8_t> failing_uid_;
    int failed_reads_ = 0;

    Worker worker_;  // last: its thread is joined before the members above go
};

}  // namespace muster::kiosk::nfc
