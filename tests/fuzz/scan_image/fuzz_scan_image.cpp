// Image files as the headless kiosk's --scan-image reads them (kiosk/camera: image_file.cpp,
// scan_image.cpp, qr_decoder.cpp): any bytes at all as a file's content, loaded from memory
// (load_gray_image's in-memory form, the same stb_image decoding and size check as the
// file's) and, when they load, searched for a QR code with every retry (scan_image).
//
// A file that cannot be used must be refused with ImageFileError saying "cannot read
// <name>: ..."; any other exception, a crash or a sanitizer report is a finding. The pixel
// budget is lowered to 512 x 512 here so each run stays fast: the check that refuses a
// larger picture is the product's own, before anything is decoded, and runs with every
// oversized header the fuzzer makes.
#include "image_file.hpp"
#include "scan_image.hpp"

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

namespace {

using namespace muster::kiosk::camera;

void check(bool condition) {
    if (!condition) std::abort();  // libFuzzer keeps the input as a crash
}

constexpr long long fuzz_max_pixels = 512LL * 512;
const std::string name = "fuzz-image";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    GrayFrame frame;
    try {
        frame = load_gray_image(std::span<const std::uint8_t>(data, size), name, fuzz_max_pixels);
    } catch (const ImageFileError& e) {
        check(std::string_view(e.what()).starts_with("cannot read " + name + ": "));
        return 0;
    }
    check(static_cast<long long>(frame.width()) * frame.height() <= fuzz_max_pixels);
    check(frame.size_bytes() == static_cast<std::size_t>(frame.width()) * static_cast<std::size_t>(frame.height()));
    if (auto code = scan_image(frame)) {
        // Corners are where the code was found: on the picture, give or take a module's
        // rounding at its edge.
        for (const auto& corner : code->corners) {
            check(corner.x >= -frame.width() && corner.x <= 2 * frame.width());
            check(corner.y >= -frame.height() && corner.y <= 2 * frame.height());
        }
    }
    return 0;
}
