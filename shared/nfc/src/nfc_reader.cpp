#include "muster/nfc/nfc_reader.hpp"

#include <nfc/nfc.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace muster::nfc {

namespace {

constexpr nfc_modulation iso14443a_106{NMT_ISO14443A, NBR_106};

// "pn532_uart:/dev/ttyUSB0:115200" -> "/dev/ttyUSB0"; "" when the string names no file.
std::string device_file(const std::string& connstring) {
    const auto first = connstring.find(':');
    if (first == std::string::npos) return {};
    const auto second = connstring.find(':', first + 1);
    std::string path = connstring.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    return path.starts_with('/') ? path : std::string{};
}

// nfc_open() only says "no". Look at the device file ourselves so staff read why.
std::string explain_open_failure(const std::string& connstring) {
    const std::string path = device_file(connstring);
    if (!path.empty()) {
        if (::access(path.c_str(), F_OK) != 0) return "no reader at " + path + " (unplugged?)";
        if (::access(path.c_str(), R_OK | W_OK) != 0)
            return "no permission to open " + path + " (add the kiosk user to group dialout)";
        return "reader at " + path + " did not answer (wrong port, in use, or not a PN532?)";
    }
    return "could not open reader \"" + connstring + "\"";
}

}  // namespace

std::string describe_nfc_code(int code) {
    switch (code) {
        case nfc_code::io: return "reader I/O error";
        case nfc_code::invalid_argument: return "invalid request to the reader";
        case nfc_code::not_supported: return "operation not supported by this reader";
        case nfc_code::no_such_device: return "reader not found";
        case nfc_code::overflow: return "reader answer too long";
        case nfc_code::timeout: return "reader did not answer in time";
        case nfc_code::aborted: return "operation aborted";
        case nfc_code::not_implemented: return "not implemented by libnfc";
        case nfc_code::target_released: return "card left the reader";
        case nfc_code::rf_transmission: return "radio error talking to the card";
        case nfc_code::mifare_auth: return "MIFARE authentication failed";
        case nfc_code::software: return "libnfc internal error";
        case nfc_code::chip: return "reader chip error";
        default: return "libnfc error " + std::to_string(code);
    }
}

NfcContext::NfcContext() { nfc_init(&context_); }

NfcContext::~NfcContext() {
    if (context_) nfc_exit(context_);
}

std::unique_ptr<NfcReader> NfcReader::open(NfcContext& context, const std::string& connstring, std::string& error) {
    nfc_connstring chosen{};
    if (connstring.empty()) {
        if (nfc_list_devices(context.get(), &chosen, 1) == 0) {
            error = "no NFC reader found by auto-scan";
            return nullptr;
        }
    } else if (connstring.size() >= sizeof(chosen)) {
        error = "connection string too long";
        return nullptr;
    } else {
        std::memcpy(chosen, connstring.c_str(), connstring.size() + 1);
    }

    nfc_device* device = nfc_open(context.get(), chosen);
    if (!device) {
        error = explain_open_failure(chosen);
        return nullptr;
    }
    // Initiator mode, then make a search return at once when no tag is there: with
    // NP_INFINITE_SELECT (libnfc's default) the PN53x keeps searching and a poll would
    // block until libnfc's own timeout.
    int res = nfc_initiator_init(device);
    if (res >= 0) res = nfc_device_set_property_bool(device, NP_INFINITE_SELECT, false);
    if (res < 0) {
        error = std::string("reader refused reader mode (") + nfc_strerror(device) + ")";
        nfc_close(device);
        return nullptr;
    }
    return std::unique_ptr<NfcReader>(new NfcReader(device, nfc_device_get_name(device)));
}

NfcReader::NfcReader(nfc_device* device, std::string name) : device_(device), name_(std::move(name)) {}

// nfc_close() idles the chip (InRelease, RF off, PowerDown) before closing the port; on a
// reader that stopped answering each of those times out, which bounds how long it takes.
NfcReader::~NfcReader() { nfc_close(device_); }

int NfcReader::select_tag(std::optional<SelectedTag>& tag, std::span<const std::uint8_t> uid) {
    tag.reset();
    nfc_target target{};
    const int res = nfc_initiator_select_passive_target(device_, iso14443a_106, uid.empty() ? nullptr : uid.data(),
                                                        uid.size(), &target);
    if (res <= 0) return res;
    // libnfc's target structs are packed: copy fields out by value, never bind references.
    const nfc_iso14443a_info& info = target.nti.nai;
    const std::size_t uid_len = info.szUidLen;
    SelectedTag found;
    found.uid.assign(info.abtUid, info.abtUid + std::min(uid_len, sizeof(info.abtUid)));
    found.atqa = {info.abtAtqa[0], info.abtAtqa[1]};
    found.sak = info.btSak;
    tag = std::move(found);
    return 1;
}

int NfcReader::transceive(std::span<const std::uint8_t> tx, std::span<std::uint8_t> rx, std::chrono::milliseconds timeout) {
    return nfc_initiator_transceive_bytes(device_, tx.data(), tx.size(), rx.data(), rx.size(),
                                          static_cast<int>(timeout.count()));
}

int NfcReader::target_present() { return nfc_initiator_target_is_present(device_, nullptr); }

int NfcReader::reset_field() {
    const int res = nfc_device_set_property_bool(device_, NP_ACTIVATE_FIELD, false);
    return res < 0 ? res : nfc_device_set_property_bool(device_, NP_ACTIVATE_FIELD, true);
}

}  // namespace muster::nfc
