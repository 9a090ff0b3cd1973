#pragma once
// zbar behind plain types: zbar's C++ headers and zxing-cpp's clash in one translation unit
// (docs: shared/PITFALLS.md), so zbar lives alone in zbar_reader.cpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace muster::bench {

class ZbarReader {
public:
    ZbarReader();  // QR only, like the kiosk's decoder
    ~ZbarReader();
    ZbarReader(const ZbarReader&) = delete;
    ZbarReader& operator=(const ZbarReader&) = delete;

    std::optional<std::string> read(const std::uint8_t* gray, int width, int height);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace muster::bench
