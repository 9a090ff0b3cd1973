#include "wav_file.hpp"

#include <fstream>
#include <iterator>
#include <string_view>

namespace muster::kiosk {
namespace {

// WAV is little-endian; reading byte by byte keeps this right on any host.
std::uint32_t le32(const std::string& b, std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
std::uint16_t le16(const std::string& b, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}
void put32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>(v >> 8);
}

constexpr std::size_t max_bytes = 4 << 20;  // a chime is well under a second; 4 MB is a mistake

}  // namespace

std::variant<std::vector<std::int16_t>, std::string> read_wav(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::string("cannot open the file");
    std::string b;
    b.resize(max_bytes + 1);
    in.read(b.data(), static_cast<std::streamsize>(b.size()));
    b.resize(static_cast<std::size_t>(in.gcount()));
    if (b.size() > max_bytes) return std::string("larger than 4 MB: not a short chime");
    if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0) return std::string("not a WAV file");

    bool have_format = false;
    for (std::size_t at = 12; at + 8 <= b.size();) {
        std::string_view id(b.data() + at, 4);
        std::size_t size = le32(b, at + 4);
        std::size_t body = at + 8;
        if (size > b.size() - body) return std::string("a chunk runs past the end of the file");
        if (id == "fmt ") {
            if (size < 16) return std::string("the format chunk is too short");
            auto format = le16(b, body), channels = le16(b, body + 2), bits = le16(b, body + 14);
            auto rate = le32(b, body + 4);
            if (format != 1 || channels != 1 || bits != 16 || rate != chime_rate)
                return "must be 16-bit PCM, mono, " + std::to_string(chime_rate) + " Hz (this one: format " +
                       std::to_string(format) + ", " + std::to_string(channels) + " channel(s), " + std::to_string(bits) +
                       "-bit, " + std::to_string(rate) + " Hz)";
            have_format = true;
        } else if (id == "data") {
            if (!have_format) return std::string("the data comes before the format");
            if (size == 0 || size % 2) return std::string("no whole 16-bit samples");
            std::vector<std::int16_t> samples(size / 2);
            for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<std::int16_t>(le16(b, body + 2 * i));
            return samples;
        }
        at = body + size + (size & 1);  // chunks are padded to an even length
    }
    return std::string("no sound data in the file");
}

bool write_wav(const std::filesystem::path& file, const std::vector<std::int16_t>& samples) {
    auto data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
    std::string out = "RIFF";
    put32(out, 36 + data_bytes);
    out += "WAVEfmt ";
    put32(out, 16);
    put16(out, 1);  // PCM
    put16(out, 1);  // mono
    put32(out, chime_rate);
    put32(out, chime_rate * 2);  // bytes a second
    put16(out, 2);               // bytes a frame
    put16(out, 16);
    out += "data";
    put32(out, data_bytes);
    for (auto s : samples) put16(out, static_cast<std::uint16_t>(s));
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    f.write(out.data(), static_cast<std::streamsize>(out.size()));
    return static_cast<bool>(f);
}

}  // namespace muster::kiosk
