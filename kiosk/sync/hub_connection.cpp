#include "hub_connection.hpp"

#include "hub_answer.hpp"
#include "muster/sync/http_status.hpp"

#include "muster/time/uk_time.hpp"
#include "muster/util/config_error.hpp"

#include <fstream>
#include <map>

namespace muster::kiosk {
namespace {

sync::DeviceSecret load_secret(const std::filesystem::path& file) {
    std::ifstream f(file);
    if (!f) throw ConfigError("server.secret: cannot read " + file.string() + " (provision the device with: muster device add)");
    std::string hex;
    f >> hex;
    auto s = sync::secret_from_hex(hex);
    if (!s) throw ConfigError("server.secret: " + file.string() + " does not hold a 64-hex-digit device secret");
    return *s;
}

}  // namespace

HubConnection::HubConnection(const SyncSettings& settings, WallClock clock, std::chrono::milliseconds timeout)
    : device_id_(settings.device_id), secret_(load_secret(settings.secret_file)),
      http_(settings.server_url, settings.certificate, timeout), now_(clock ? clock : &uk_time::now_ms) {}

HttpResult HubConnection::call(const std::string& method, const std::string& target, const std::string& body) {
    HttpResult r;
    for (int attempt = 0; attempt < 3; ++attempt) {
        TimeMs sent_at = now_();
        TimeMs signed_time = sent_at + clock_offset_ms_;
        auto nonce = sync::random_nonce();  // a new one for each try: the server refuses a nonce twice
        std::map<std::string, std::string> headers = {
            {std::string(sync::header_device), device_id_},
            {std::string(sync::header_time), std::to_string(signed_time)},
            {std::string(sync::header_nonce), nonce},
            {std::string(sync::header_signature), sync::sign_request(secret_, method, target, signed_time, nonce, body)}};
        r = http_.request(method, target, headers, body);
        if (r.server_time_ms) {
            TimeMs received_at = now_();
            clock_offset_ms_ = *r.server_time_ms - (sent_at + received_at) / 2;
        }
        bool stale_connection = r.status == sync::no_reply_status && r.reused_connection;
        // Only the code says "clock": an older server's bare 401 waits for the next pass
        // (signed with the offset this reply brought all the same).
        bool stale_clock = attempt == 0 && answer_of(r) == HubAnswer::clock_skew;
        if (!stale_connection && !stale_clock) break;
    }
    return r;
}

}  // namespace muster::kiosk
