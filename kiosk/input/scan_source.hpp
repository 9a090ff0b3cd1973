#pragma once
// The one small interface every kiosk input (wedge scanner, camera, NFC reader, scripted)
// implements. Sources run on their own threads and hand what they read to a ScanSink;
// the UI thread drains the sink (ScanQueue) once per frame, so no source ever touches
// the screen, SQLite or the network.
#include <chrono>
#include <string>

namespace muster::kiosk {

enum class InputKind { wedge, camera, nfc, scripted };

// What a source read, before the core has looked at it.
struct RawScan {
    InputKind input = InputKind::scripted;
    std::string payload;  // the text a QR code or an NDEF text record carried ("" if none)
    std::string nfc_uid;  // upper-case hex of an NFC tag's UID ("" for QR / wedge)
    std::chrono::steady_clock::time_point read_at = std::chrono::steady_clock::now();
};

enum class SourceState { starting, ready, unavailable, failed };

// A source's health, shown on screen ("Camera: unplugged, retrying").
// `message` never carries personal data.
struct SourceStatus {
    InputKind input = InputKind::scripted;
    SourceState state = SourceState::starting;
    std::string message;
};

class ScanSink {
public:
    virtual ~ScanSink() = default;
    virtual void on_scan(RawScan scan) = 0;
    virtual void on_status(SourceStatus status) = 0;
};

class ScanSource {
public:
    virtual ~ScanSource() = default;
    ScanSource() = default;
    ScanSource(const ScanSource&) = delete;
    ScanSource& operator=(const ScanSource&) = delete;

    virtual InputKind kind() const = 0;
    // Starts the source's own thread; it reports scans and status changes to `sink`
    // until stop(). A missing device is reported as a status, never thrown: the kiosk
    // runs on its other inputs and the source keeps retrying.
    virtual void start(ScanSink& sink) = 0;
    // Stops and joins the thread. Safe to call twice; called by the destructor of
    // implementations.
    virtual void stop() = 0;
};

const char* to_string(InputKind kind);
const char* to_string(SourceState state);

// The line staff read for a source's status. A source's message is its own whole sentence,
// beginning with the input's name ("NFC reader ready (pn532_uart:/dev/ttyUSB0)", "camera
// unavailable (...), retrying"): it is shown as it is, capitalised, never with the name and
// state put in front again. A message that does not name the input gets the name in front
// ("Scripted: input ended"); no message at all gives "Scanner: ready".
std::string status_line(const SourceStatus& status);

}  // namespace muster::kiosk
