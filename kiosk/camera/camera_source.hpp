#pragma once
// The camera as a kiosk input: a worker thread grabs frames, decodes QR codes and reports
// each new code once (repeat_guard.hpp) to the ScanSink. It opens the camera itself and
// keeps retrying while it is missing or unplugged, reporting its state as SourceStatus, so
// the kiosk runs on its other inputs meanwhile and recovers without a restart. The UI
// thread reads the latest frame and the found code's outline for its preview.
#include "frame_grabber.hpp"
#include "muster/util/worker.hpp"
#include "qr_decoder.hpp"
#include "repeat_guard.hpp"
#include "source_status_board.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

namespace muster::kiosk::camera {

class CameraSource final : public ScanSource {
public:
    struct Options {
        std::chrono::milliseconds retry_every{1000};  // reopening a missing camera
        std::chrono::milliseconds grab_timeout{100};  // bounds how long stop() can wait
        RepeatGuard::Rule rearm{};
        QrDecoder::Options decoder{QrDecoder::Retries::scheduled, 8};
    };

    explicit CameraSource(std::unique_ptr<FrameGrabber> grabber);
    CameraSource(std::unique_ptr<FrameGrabber> grabber, Options options);
    ~CameraSource() override;

    InputKind kind() const override { return InputKind::camera; }
    void start(ScanSink& sink) override;  // throws std::logic_error if already started
    void stop() override;

    // The UI thread's view. Copies the latest decoded frame into `out` (reusing its buffer)
    // and the outline of the code found in it, if any. False while no camera is delivering
    // (not started, missing, unplugged): draw the status instead.
    bool latest_preview(GrayFrame& out, std::optional<Quad>& outline) const;
    // Increases with every new preview frame: a UI can skip the copy when it is unchanged.
    std::uint64_t preview_sequence() const;
    SourceStatus status() const;
    std::uint64_t frames_decoded() const { return frames_decoded_.load(); }

private:
    void run(std::stop_token stop, ScanSink& sink);
    bool ensure_open(ScanSink& sink);
    void report(ScanSink& sink, SourceState state, std::string message);
    void publish(GrayFrame& frame, const std::optional<QrCode>& code);
    void clear_preview();

    std::unique_ptr<FrameGrabber> grabber_;
    Options options_;

    mutable std::mutex preview_mutex_;  // guards the preview
    GrayFrame preview_;
    std::optional<Quad> preview_outline_;
    std::uint64_t preview_sequence_ = 0;
    bool preview_valid_ = false;
    SourceStatusBoard status_{{InputKind::camera, SourceState::starting, "camera starting"}};

    std::atomic<std::uint64_t> frames_decoded_{0};
    bool open_ = false;  // worker thread only

    Worker worker_;  // last: its thread is joined before the members above go
};

}  // namespace muster::kiosk::camera
