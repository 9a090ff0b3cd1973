// The hub's sealed copies of device secrets: they open only with the key and for the row
// they were sealed for, and any change to a byte is caught.
#include "muster/sync/device_secret_box.hpp"

#include <catch2/catch.hpp>

using namespace muster::sync;

TEST_CASE("A sealed device secret opens with its key for its device", "[secrets]") {
    auto key = generate_device_secrets_key();
    auto secret = generate_secret();
    auto box = seal_device_secret(key, "entrance-1", secret);
    CHECK(box.size() == secret_box_size);
    CHECK(static_cast<unsigned char>(box[0]) == secret_box_version);
    CHECK(box.find(std::string(secret.begin(), secret.end())) == std::string::npos);  // not in the clear
    auto opened = open_device_secret(key, "entrance-1", box);
    REQUIRE(opened);
    CHECK(*opened == secret);
    CHECK(seal_device_secret(key, "entrance-1", secret) != box);  // a fresh nonce each time
    CHECK_FALSE(is_plain_device_secret(box));
    CHECK(is_plain_device_secret(std::string(32, 'x')));
}

TEST_CASE("A sealed device secret does not open with another key or for another device", "[secrets]") {
    auto key = generate_device_secrets_key();
    auto box = seal_device_secret(key, "entrance-1", generate_secret());
    CHECK_FALSE(open_device_secret(generate_device_secrets_key(), "entrance-1", box));
    CHECK_FALSE(open_device_secret(key, "room-1", box));       // moved to another device's row
    CHECK_FALSE(open_device_secret(key, "entrance-10", box));
    CHECK_FALSE(open_device_secret(key, "", box));
}

TEST_CASE("A changed, cut short or relabelled sealed secret does not open", "[secrets]") {
    auto key = generate_device_secrets_key();
    auto box = seal_device_secret(key, "entrance-1", generate_secret());
    for (std::size_t i = 0; i < box.size(); ++i) {
        auto tampered = box;
        tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
        INFO("byte " << i);
        CHECK_FALSE(open_device_secret(key, "entrance-1", tampered));
    }
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{32}, box.size() - 1})
        CHECK_FALSE(open_device_secret(key, "entrance-1", box.substr(0, n)));
    CHECK_FALSE(open_device_secret(key, "entrance-1", box + "x"));
    auto relabelled = box;
    relabelled[0] = 0x02;
    CHECK_FALSE(open_device_secret(key, "entrance-1", relabelled));
}
