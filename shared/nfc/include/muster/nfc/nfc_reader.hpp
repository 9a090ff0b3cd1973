#pragma once
// Thin RAII over libnfc 1.8: a context, one open reader in initiator mode, and libnfc's
// return codes turned into words for a status line or an error message. This pair is the
// only place that includes <nfc/nfc.h>; the rest of the NFC code talks to NfcReader.
//
// Return values follow libnfc: a count (>= 0) on success, a negative NfcCode on failure.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct nfc_context;
struct nfc_device;

namespace muster::nfc {

// libnfc's error codes (nfc.h NFC_E*), without including nfc.h.
namespace nfc_code {
inline constexpr int ok = 0;
inline constexpr int io = -1;
inline constexpr int invalid_argument = -2;
inline constexpr int not_supported = -3;
inline constexpr int no_such_device = -4;
inline constexpr int overflow = -5;
inline constexpr int timeout = -6;
inline constexpr int aborted = -7;
inline constexpr int not_implemented = -8;
inline constexpr int target_released = -10;
inline constexpr int rf_transmission = -20;
inline constexpr int mifare_auth = -30;
inline constexpr int software = -80;
inline constexpr int chip = -90;
}  // namespace nfc_code

// Plain words for a libnfc return code ("the reader did not answer in time").
std::string describe_nfc_code(int code);

class NfcContext {
public:
    // nullptr when libnfc cannot start (out of memory, unreadable config): see ok().
    NfcContext();
    ~NfcContext();
    NfcContext(const NfcContext&) = delete;
    NfcContext& operator=(const NfcContext&) = delete;
    bool ok() const { return context_ != nullptr; }
    nfc_context* get() const { return context_; }

private:
    nfc_context* context_ = nullptr;
};

// An ISO 14443-A target as the reader selected it.
struct SelectedTag {
    std::vector<std::uint8_t> uid;
    std::array<std::uint8_t, 2> atqa{};
    std::uint8_t sak = 0;
};

class NfcReader {
public:
    // Opens the reader named by a libnfc connection string ("pn532_uart:/dev/ttyUSB0",
    // "pn532_uart:/dev/ttyUSB0:115200", "acr122_usb"), or the first one libnfc's
    // auto-scan finds when `connstring` is empty, and puts it in initiator mode.
    // On failure: nullptr and a message without personal data in `error`.
    static std::unique_ptr<NfcReader> open(NfcContext& context, const std::string& connstring, std::string& error);
    ~NfcReader();
    NfcReader(const NfcReader&) = delete;
    NfcReader& operator=(const NfcReader&) = delete;

    const std::string& name() const { return name_; }

    // One short search for an ISO 14443-A tag at 106 kbit/s (the reader gives up after a
    // couple of tries instead of waiting for a tag). 1: `tag` filled; 0: none; < 0: error.
    // With `uid` set, only that tag answers (a re-select).
    int select_tag(std::optional<SelectedTag>& tag, std::span<const std::uint8_t> uid = {});
    // Sends bytes to the selected tag (the PN53x adds CRC and parity); the answer's length.
    int transceive(std::span<const std::uint8_t> tx, std::span<std::uint8_t> rx, std::chrono::milliseconds timeout);
    // Is the last selected tag still in the field? ok, target_released, not_supported (libnfc
    // has no presence check for this kind of tag), or an I/O error.
    int target_present();
    // Switches the RF field off and on: every tag in the field powers up afresh, so a tag
    // left half-read answers the next search again (a deselected tag would stay silent).
    int reset_field();

private:
    NfcReader(nfc_device* device, std::string name);
    nfc_device* device_;
    std::string name_;
};

}  // namespace muster::nfc
