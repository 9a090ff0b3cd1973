#include "hub_connection.hpp"

#include "hub_answer.hpp"
#include "muster/sync/http_status.hpp"

#include "muster/time/uk_time.hpp"
#include "muster/util/config_error.hpp"

#include <fstream>
#include <map>
#include <stdexcept>

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

// Why a reply sends the request on to the next server: none came back (refused, reset, timed
// out, the TLS handshake failed), or the server itself failed (5xx: stopping, at its limit,
// its store unwell). A 4xx (bad signature, replayed, conflict, a record it cannot read) is
// about the request and would be the same from every process of the hub: no reason to move.
bool worth_another_server(const HttpResult& r) {
    return r.status == sync::no_reply_status || (r.status >= 500 && r.status <= 599);
}

}  // namespace

HubConnection::HubConnection(const SyncSettings& settings, WallClock clock, std::chrono::milliseconds timeout,
                             std::shared_ptr<ServerChoice> choice)
    : device_id_(settings.device_id), secret_(load_secret(settings.secret_file)),
      choice_(choice ? std::move(choice) : std::make_shared<ServerChoice>(settings.server_urls.size())),
      now_(clock ? clock : &uk_time::now_ms) {
    if (settings.server_urls.empty()) throw std::invalid_argument("no server url");
    if (choice_->count() != settings.server_urls.size()) throw std::invalid_argument("server choice for another list of urls");
    for (const auto& url : settings.server_urls)
        http_.push_back(std::make_unique<HttpClient>(url, settings.certificate, timeout));
}

void HubConnection::cancel() {
    cancelled_ = true;
    for (auto& h : http_) h->cancel();
}

void HubConnection::on_request(const std::function<void(bool in_flight)>& hook) {
    for (auto& h : http_) h->on_request(hook);
}

HttpResult HubConnection::call(const std::string& method, const std::string& target, const std::string& body) {
    const std::size_t count = http_.size();
    const std::size_t first = choice_->current() % count;
    HttpResult r;
    // Each server at most once: with all of them down, the call fails after one try each and
    // the sync pass backs off as with one server. An upload that failed mid-request may have
    // been stored by the server that then died; sending it again to another is safe: ingest
    // is idempotent by record uuid (the same record is acknowledged, not stored twice), and
    // each try is signed anew with a new nonce.
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t at = (first + i) % count;
        r = call_one(*http_[at], method, target, body);
        if (cancelled_) return r;  // stopping: not the server's fault, nothing to move
        if (!worth_another_server(r)) {
            choice_->answered(at);
            return r;
        }
    }
    return r;  // every server failed: the last one's failure, for staff and the backoff
}

HttpResult HubConnection::call_one(HttpClient& http, const std::string& method, const std::string& target,
                                   const std::string& body) {
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
        r = http.request(method, target, headers, body);
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
