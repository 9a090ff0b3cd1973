// muster-test-sign-badges KEY.pem ID[:SERIAL]...: prints one signed badge token a line, for
// the browser tests and the register bench (Python), which type them into a headless kiosk
// as a scanner would. Tokens are signed by the real badge code with the hub's private key,
// so a test never keeps a copy of the token format. For tests and benches only.
#include "muster/badge/badge_token.hpp"
#include "muster/badge/hub_keys.hpp"

#include <exception>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: muster-test-sign-badges KEY.pem ID[:SERIAL]...\n";
        return 2;
    }
    try {
        auto key = muster::badge::HubKeyPair::load_private(argv[1]);
        for (int i = 2; i < argc; ++i) {
            std::string arg = argv[i];
            auto colon = arg.find(':');
            muster::badge::BadgeClaims claims;
            claims.participant_id = std::stoll(arg.substr(0, colon));
            if (colon != std::string::npos) claims.serial = static_cast<std::uint16_t>(std::stoul(arg.substr(colon + 1)));
            std::cout << muster::badge::sign_badge(key, claims) << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "muster-test-sign-badges: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
