#include "camera_source.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace muster::kiosk::camera {

CameraSource::CameraSource(std::unique_ptr<FrameGrabber> grabber) : CameraSource(std::move(grabber), Options{}) {}

CameraSource::CameraSource(std::unique_ptr<FrameGrabber> grabber, Options options)
    : grabber_(std::move(grabber)), options_(options) {
    if (!grabber_) throw std::invalid_argument("CameraSource: no frame grabber");
}

CameraSource::~CameraSource() { stop(); }

void CameraSource::start(ScanSink& sink) {
    if (worker_.running()) throw std::logic_error("CameraSource: already started");
    worker_.start([this, &sink](std::stop_token stop) { run(stop, sink); });
}

void CameraSource::stop() { worker_.stop(); }

void CameraSource::report(ScanSink& sink, SourceState state, std::string message) {
    status_.report(sink, {InputKind::camera, state, std::move(message)});
}

bool CameraSource::ensure_open(ScanSink& sink) {
    if (open_) return true;
    std::string error = grabber_->open();
    if (!error.empty()) {
        report(sink, SourceState::unavailable, "camera unavailable (" + error + "), retrying");
        return false;
    }
    open_ = true;
    report(sink, SourceState::ready, "camera ready (" + grabber_->name() + ")");
    return true;
}

void CameraSource::run(std::stop_token stop, ScanSink& sink) {
    QrDecoder decoder(options_.decoder);
    RepeatGuard guard(options_.rearm);
    GrayFrame frame;  // swapped with the preview buffer after each decode: no copy, no allocation

    while (!stop.stop_requested()) {
        if (!ensure_open(sink)) {
            if (!worker_.sleep_for(stop, options_.retry_every)) break;
            continue;
        }
        const GrabResult got = grabber_->grab(frame, options_.grab_timeout);
        if (got.kind == GrabResult::Kind::timeout) continue;
        if (got.kind == GrabResult::Kind::lost) {
            grabber_->close();
            open_ = false;
            clear_preview();
            report(sink, SourceState::unavailable, "camera lost (" + got.error + "), retrying");
            if (!worker_.sleep_for(stop, options_.retry_every)) break;
            continue;
        }

        std::optional<QrCode> code = decoder.decode(frame);
        ++frames_decoded_;
        std::optional<std::string_view> seen;
        if (code && !code->text.empty()) seen = code->text;
        if (guard.admit(seen, frame.captured_at)) {
            RawScan scan;
            scan.input = InputKind::camera;
            scan.payload = code->text;
            sink.on_scan(std::move(scan));
        }
        publish(frame, code);
    }
    if (open_) grabber_->close();
    open_ = false;
    clear_preview();
}

void CameraSource::publish(GrayFrame& frame, const std::optional<QrCode>& code) {
    std::lock_guard lock(preview_mutex_);
    std::swap(preview_, frame);
    preview_outline_ = code ? std::optional<Quad>(code->corners) : std::nullopt;
    preview_valid_ = true;
    ++preview_sequence_;
}

void CameraSource::clear_preview() {
    std::lock_guard lock(preview_mutex_);
    preview_valid_ = false;
    preview_outline_.reset();
    ++preview_sequence_;
}

bool CameraSource::latest_preview(GrayFrame& out, std::optional<Quad>& outline) const {
    std::lock_guard lock(preview_mutex_);
    if (!preview_valid_) return false;
    out.reset(preview_.width(), preview_.height());
    std::copy(preview_.data(), preview_.data() + preview_.size_bytes(), out.data());
    out.captured_at = preview_.captured_at;
    outline = preview_outline_;
    return true;
}

std::uint64_t CameraSource::preview_sequence() const {
    std::lock_guard lock(preview_mutex_);
    return preview_sequence_;
}

SourceStatus CameraSource::status() const { return status_.current(); }

}  // namespace muster::kiosk::camera
