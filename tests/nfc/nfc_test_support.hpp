#pragma once
// Shared by the NFC tests and the bench: waiting for a condition with a deadline (never a
// bare sleep that assumes a fast machine), and a badge token of the real length.
#include <chrono>
#include <string>
#include <thread>

namespace muster::test {

// Polls `condition` every 10 ms until it holds or `timeout` passes; true if it held.
template <typename Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= until) return condition();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

// The shape of a badge token ("M1:" + 120 base32 characters, 123 in all); the NFC layer
// does not verify it, it only has to carry it intact.
inline std::string sample_token(char fill = 'A') {
    std::string token = "M1:";
    for (int i = 0; i < 120; ++i) token += static_cast<char>(i % 7 == 0 ? '2' + i % 6 : fill + i % 20);
    return token;
}

}  // namespace muster::test
