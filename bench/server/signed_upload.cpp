#include "signed_upload.hpp"

#include "stats.hpp"

#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"

#include <chrono>
#include <cstdio>

namespace muster::bench {

LoadRequest signed_request(const std::string& device, const sync::DeviceSecret& secret, std::string method,
                           std::string target, std::string body) {
    LoadRequest r{std::move(method), std::move(target), {}, std::move(body), {}};
    TimeMs now = uk_time::now_ms();
    auto nonce = sync::random_nonce();
    r.headers = {{"X-Muster-Device", device},
                 {"X-Muster-Time", std::to_string(now)},
                 {"X-Muster-Nonce", nonce},
                 {"X-Muster-Signature", sync::sign_request(secret, r.method, r.target, now, nonce, r.body)}};
    return r;
}

LoadRequest upload_request(const std::string& device, const sync::DeviceSecret& secret, std::vector<CheckIn> records) {
    sync::UploadBatch b;
    b.device_time_ms = uk_time::now_ms();
    b.check_ins = std::move(records);
    return signed_request(device, secret, "POST", "/v1/upload", sync::to_json(b));
}

double upload_rate(unsigned short port, const std::string& tls_ca, const std::string& device,
                   const sync::DeviceSecret& secret, std::vector<std::vector<CheckIn>> batches, int connections) {
    // The JSON is made before the clock starts, so the rate is the server's, not the bench's.
    std::size_t total = 0;
    std::vector<std::string> bodies;
    for (auto& b : batches) {
        total += b.size();
        sync::UploadBatch u;
        u.device_time_ms = uk_time::now_ms();
        u.check_ins = std::move(b);
        bodies.push_back(sync::to_json(u));
    }
    LoadGenerator load(port, tls_ca);
    std::size_t next = 0, acked = 0;
    for (int c = 0; c < connections; ++c)
        load.add_connection(
            [&]() -> std::optional<LoadRequest> {
                if (next >= bodies.size()) return std::nullopt;
                // Signed as it is sent: the hub refuses a request whose signed time has aged.
                return signed_request(device, secret, "POST", "/v1/upload", std::move(bodies[next++]));
            },
            [&](int status, const std::string& body) {
                if (status == 200) acked += sync::parse_upload_reply(body).acked.size();
            });
    auto t0 = bench_clock::now();
    auto st = load.run(std::chrono::minutes(2));
    double secs = micros_since(t0) / 1e6;
    if (acked != total || st.failed) std::printf("  !! acked %zu of %zu (failed requests %zu)\n", acked, total, st.failed);
    return static_cast<double>(acked) / secs;
}

}  // namespace muster::bench
