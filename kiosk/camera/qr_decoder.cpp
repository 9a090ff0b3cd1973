#include "qr_decoder.hpp"

#include "qr_hints.hpp"

#include <ZXing/ReadBarcode.h>

namespace muster::kiosk::camera {

// Measured on the test distortions at 1280x720 (rotation, 2.6-18 px modules, blur up to
// sigma 2.3, noise up to 30 levels): QR only, and tryHarder off - it read every frame the
// default read, in ~30% less time. tryDownscale stays on: no measurable cost, and it is
// what finds large blurred codes. tryRotate only concerns linear codes.
ZXing::DecodeHints qr_decode_hints() {
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(false);
    return hints;
}

const char* to_string(DecodePass pass) {
    switch (pass) {
        case DecodePass::normal: return "normal";
        case DecodePass::inverted: return "inverted";
        case DecodePass::low_contrast: return "low contrast";
    }
    return "?";
}

GrayView view_of(const GrayFrame& frame) { return {frame.data(), frame.width(), frame.height(), frame.stride()}; }

namespace {

std::optional<QrCode> read(const GrayView& image, const ZXing::DecodeHints& hints) {
    const ZXing::ImageView view(image.data, image.width, image.height, ZXing::ImageFormat::Lum, image.stride);
    const ZXing::Result result = ZXing::ReadBarcode(view, hints);
    if (!result.isValid()) return std::nullopt;
    QrCode code;
    code.text = result.text();
    const auto& pos = result.position();
    for (std::size_t i = 0; i < 4; ++i) code.corners[i] = Point{pos[i].x, pos[i].y};
    return code;
}

}  // namespace

QrDecoder::QrDecoder() : QrDecoder(Options{}) {}

QrDecoder::QrDecoder(Options options) : options_(options) {
    if (options_.retry_every < 1) options_.retry_every = 1;
}

std::optional<QrCode> QrDecoder::run(GrayView image, DecodePass pass) {
    // Built once: DecodeHints holds a std::string, and copying it per frame is avoidable.
    static const ZXing::DecodeHints hints = qr_decode_hints();
    // The thresholded image is already 0/255: BoolCast skips ZXing's own binarizer.
    static const ZXing::DecodeHints binary_hints =
        ZXing::DecodeHints(hints).setBinarizer(ZXing::Binarizer::BoolCast);

    std::optional<QrCode> code;
    switch (pass) {
        case DecodePass::normal:
            code = read(image, hints);
            break;
        case DecodePass::inverted:
            scratch_.reset(image.width, image.height);
            for (int y = 0; y < image.height; ++y) {
                const std::uint8_t* src = image.data + static_cast<std::ptrdiff_t>(y) * image.stride;
                std::uint8_t* dst = scratch_.row(y);
                for (int x = 0; x < image.width; ++x) dst[x] = static_cast<std::uint8_t>(~src[x]);
            }
            code = read(view_of(scratch_), hints);
            break;
        case DecodePass::low_contrast:
            threshold_.apply(image, scratch_);
            code = read(view_of(scratch_), binary_hints);
            break;
    }
    if (code) code->pass = pass;
    return code;
}

std::optional<QrCode> QrDecoder::decode(GrayView image) {
    if (image.data == nullptr || image.width <= 0 || image.height <= 0) return std::nullopt;

    // The pass that found the last code goes first: a phone in dark mode, held up for a
    // second, then costs one decode per frame instead of two.
    std::optional<QrCode> code = run(image, last_pass_);
    if (!code && last_pass_ != DecodePass::normal) code = run(image, DecodePass::normal);
    if (!code && options_.retries != Retries::never) {
        ++misses_;
        const auto every = static_cast<unsigned>(options_.retry_every);
        if (options_.retries == Retries::always) {
            for (DecodePass pass : {DecodePass::inverted, DecodePass::low_contrast})
                if (!code && pass != last_pass_) code = run(image, pass);
        } else if (misses_ % every == 0) {
            const DecodePass pass = (misses_ / every) % 2 ? DecodePass::inverted : DecodePass::low_contrast;
            if (pass != last_pass_) code = run(image, pass);
        }
    }
    if (code) misses_ = 0;
    last_pass_ = code ? code->pass : DecodePass::normal;
    return code;
}

}  // namespace muster::kiosk::camera
