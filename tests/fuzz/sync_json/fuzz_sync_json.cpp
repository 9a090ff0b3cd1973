// The sync protocol's JSON messages (shared/src/sync/sync_json.cpp), as the server reads an
// upload and a kiosk reads the server's replies: any bytes at all. The first byte chooses the
// message (upload batch, upload reply, changes page, error reply), the rest is its body.
//
// Beyond "no crash": a parser may only refuse with ProtocolError, and what it accepts must
// survive the writer: written, read back and written again it gives the same JSON (the kiosk
// and the server use the same pair, so a message one side writes the other must read as sent).
#include "muster/sync/sync_messages.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace muster::sync;

void check(bool condition) {
    if (!condition) std::abort();  // libFuzzer keeps the input as a crash
}

template <typename Message>
void round_trip(std::string_view body, Message (*parse)(std::string_view)) {
    Message first;
    try {
        first = parse(body);
    } catch (const ProtocolError&) {
        return;  // refused, as it should be, with a message naming the field
    }
    std::string written = to_json(first);
    Message again;
    try {
        again = parse(written);
    } catch (const ProtocolError&) {
        std::abort();  // the writer made what its own reader refuses
    }
    check(to_json(again) == written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 4) {
        case 0: round_trip(body, parse_upload_batch); break;
        case 1: round_trip(body, parse_upload_reply); break;
        case 2: round_trip(body, parse_changes); break;
        default: round_trip(body, parse_error_reply); break;
    }
    return 0;
}
