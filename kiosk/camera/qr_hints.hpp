#pragma once
// The ZXing hints the kiosk decodes with, in their own header so the benchmark can make the
// bare ReadBarcode call with exactly the same ones. Includes ZXing: keep it out of headers
// the rest of the kiosk includes.
#ifndef ZX_USE_UTF8
#define ZX_USE_UTF8  // std::string text; without it 1.4 emits a #pragma message (-Werror)
#endif
#include <ZXing/DecodeHints.h>

namespace muster::kiosk::camera {

ZXing::DecodeHints qr_decode_hints();

}  // namespace muster::kiosk::camera
