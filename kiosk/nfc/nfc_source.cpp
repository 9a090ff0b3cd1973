#include "nfc_source.hpp"

#include <exception>
#include <stdexcept>
#include <utility>

namespace muster::kiosk::nfc {

using muster::nfc::NfcContext;
using muster::nfc::NfcReader;
using muster::nfc::SelectedTag;
using muster::nfc::TagRead;
using muster::nfc::TagReadOutcome;
namespace nfc_code = muster::nfc::nfc_code;

namespace {
// What one step of the worker loop asks for next (errors are libnfc's negative codes).
constexpr int wait_a_period = 0;
constexpr int search_now = 1;
}  // namespace

NfcSource::NfcSource(Options options) : options_(std::move(options)) {
    if (options_.poll_every.count() <= 0 || options_.retry_first.count() <= 0 || options_.retry_max < options_.retry_first)
        throw std::invalid_argument("NfcSource: poll and retry periods must be positive, retry_max >= retry_first");
}

NfcSource::~NfcSource() { stop(); }

void NfcSource::start(ScanSink& sink) {
    if (worker_.running()) throw std::logic_error("NfcSource: already started");
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    worker_.start([this, &sink](std::stop_token stop) { run(stop, sink); });
}

void NfcSource::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    tag_for_waiters_.notify_all();
    worker_.stop();
}

SourceStatus NfcSource::status() const { return status_.current(); }

std::uint64_t NfcSource::scans_reported() const {
    std::lock_guard lock(mutex_);
    return scans_;
}

std::optional<TagRead> NfcSource::wait_for_tag(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const std::uint64_t before = enrol_sequence_;
    ++enrol_waiters_;
    tag_for_waiters_.wait_for(lock, timeout, [&] { return stopping_ || enrol_sequence_ != before; });
    --enrol_waiters_;
    if (enrol_sequence_ != before) return enrolled_;
    return std::nullopt;
}

bool NfcSource::enrolment_waiting() const {
    std::lock_guard lock(mutex_);
    return enrol_waiters_ > 0;
}

void NfcSource::report(ScanSink& sink, SourceState state, std::string message) {
    status_.report(sink, {InputKind::nfc, state, std::move(message)});
}

void NfcSource::run(std::stop_token stop, ScanSink& sink) {
    report(sink, SourceState::starting, "NFC reader starting");
    try {
        std::unique_ptr<NfcContext> context;
        auto backoff = options_.retry_first;
        int errors = 0;
        while (!stop.stop_requested()) {
            if (!reader_) {
                if (!context || !context->ok()) context = std::make_unique<NfcContext>();
                if (!context->ok()) {
                    report(sink, SourceState::failed, "NFC reader unavailable: libnfc could not start (check /etc/nfc/libnfc.conf); retrying");
                    if (!worker_.sleep_for(stop, options_.retry_max)) break;
                    continue;
                }
                if (!open_reader(*context, sink)) {
                    if (!worker_.sleep_for(stop, backoff)) break;
                    backoff = std::min(backoff * 2, options_.retry_max);
                    continue;
                }
                backoff = options_.retry_first;
                errors = 0;
            }

            const int step = held_ ? check_held() : search(sink);
            if (step < 0) {
                if (++errors >= options_.errors_before_reconnect) {
                    drop_reader(sink, muster::nfc::describe_nfc_code(step));
                    continue;  // reopen at once: a reader that was only reset is back quickly
                }
            } else {
                errors = 0;
            }
            if (step == search_now) continue;  // the card just left: the next may already be there
            if (!worker_.sleep_for(stop, options_.poll_every)) break;
        }
    } catch (const std::exception& e) {
        report(sink, SourceState::failed, std::string("NFC reader stopped: internal error (") + e.what() + ")");
    }
    held_.reset();
    reader_.reset();
}

bool NfcSource::open_reader(NfcContext& context, ScanSink& sink) {
    std::string error;
    reader_ = NfcReader::open(context, options_.connstring, error);
    if (!reader_) {
        report(sink, SourceState::unavailable, "NFC reader unavailable: " + error + "; retrying");
        return false;
    }
    report(sink, SourceState::ready, "NFC reader ready (" + reader_->name() + ")");
    return true;
}

void NfcSource::drop_reader(ScanSink& sink, const std::string& why) {
    // Say so before closing: closing a reader that stopped answering takes a while.
    report(sink, SourceState::unavailable, "NFC reader stopped answering (" + why + "); reconnecting");
    if (held_) held_before_outage_ = held_->uid;
    held_.reset();
    reader_.reset();
}

int NfcSource::search(ScanSink& sink) {
    std::optional<SelectedTag> tag;
    const int res = reader_->select_tag(tag);
    if (res < 0) return res;
    if (!tag) {
        held_before_outage_.reset();
        failing_uid_.clear();
        failed_reads_ = 0;
        return wait_a_period;
    }
    const auto seen_at = std::chrono::steady_clock::now();
    if (held_before_outage_ && *held_before_outage_ == tag->uid) {
        held_before_outage_.reset();
        held_ = Held{tag->uid};
        return wait_a_period;
    }
    held_before_outage_.reset();

    TagReadOutcome outcome = muster::nfc::read_tag(*reader_, *tag);
    if (outcome.error < 0) {
        if (tag->uid != failing_uid_) {
            failing_uid_ = tag->uid;
            failed_reads_ = 0;
        }
        if (++failed_reads_ < options_.read_attempts) {
            // Try the whole tap again next period; the tag needs power-cycling to answer a
            // fresh search. A failure here is the card's or the radio's, not the reader's.
            const int field = reader_->reset_field();
            return field < 0 ? field : wait_a_period;
        }
        // Report what we have (the UID): a tag with a damaged NDEF area still checks in
        // if its UID is enrolled, instead of never scanning at all.
    }
    failing_uid_.clear();
    failed_reads_ = 0;
    held_ = Held{tag->uid};
    deliver(sink, std::move(outcome.read), seen_at);
    return wait_a_period;
}

int NfcSource::check_held() {
    int res = held_->presence_check_supported ? reader_->target_present() : nfc_code::not_supported;
    if (res == nfc_code::not_supported) {
        // libnfc has no presence check for this tag type: re-select it by its UID.
        held_->presence_check_supported = false;
        std::optional<SelectedTag> again;
        res = reader_->select_tag(again, held_->uid);
        if (res < 0) return res;
        res = again ? nfc_code::ok : nfc_code::target_released;
    }
    if (res == nfc_code::ok) return wait_a_period;
    // invalid_argument: libnfc has already forgotten the target (after a chip error).
    if (res == nfc_code::target_released || res == nfc_code::invalid_argument) {
        held_.reset();
        return search_now;
    }
    return res;
}

void NfcSource::deliver(ScanSink& sink, TagRead read, std::chrono::steady_clock::time_point seen_at) {
    {
        std::lock_guard lock(mutex_);
        if (enrol_waiters_ > 0) {
            enrolled_ = std::move(read);
            ++enrol_sequence_;
            tag_for_waiters_.notify_all();
            return;
        }
        ++scans_;
    }
    RawScan scan;
    scan.input = InputKind::nfc;
    scan.nfc_uid = read.uid;
    if (read.text) scan.payload = read.text->text;
    scan.read_at = seen_at;
    sink.on_scan(std::move(scan));
}

}  // namespace muster::kiosk::nfc
