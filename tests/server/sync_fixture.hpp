#pragma once
// A demo hub (the real `muster demo`) with its sync server's pieces: device secrets read
// from the device folders, a test configuration with small limits, and helpers to make
// check-ins and count what the hub stored.
#include "http_probe.hpp"
#include "kiosk_fixture.hpp"
#include "server_process.hpp"
#include "wait_until.hpp"

#include "muster/store/device_secrets.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/util/uuid.hpp"

#include <chrono>
#include <fstream>
#include <thread>

namespace muster::test {

struct SyncHub : DemoHub {
    // A server configuration beside the hub's own, with limits small enough to hit in a test.
    std::string config(std::size_t body_bytes = 65536, int request_timeout_ms = 1000, std::size_t max_connections = 200,
                       int stop_grace_ms = 10'000, std::size_t max_connections_per_address = 0) const {
        std::string path = hub + "/test-server.toml";
        std::ofstream(path) << "[server]\nlisten = \"127.0.0.1\"\nport = 0\nthreads = 2\n"
                            << "[tls]\nenabled = true\ncertificate = \"tls/server-cert.pem\"\nprivate_key = \"tls/server-key.pem\"\n"
                            << "[hub]\ndatabase = \"hub.db\"\n"
                            << "[limits]\nbody_bytes = " << body_bytes << "\nrequest_timeout_ms = " << request_timeout_ms
                            << "\nmax_connections = " << max_connections << "\nstop_grace_ms = " << stop_grace_ms << "\n"
                            << "max_connections_per_address = " << max_connections_per_address << "\n";
        return path;
    }
    std::string log() const { return hub + "/server.log"; }

    sync::DeviceSecret secret(const std::string& device = "entrance-1") const {
        std::ifstream f(hub + "/devices/" + device + "/device.secret");
        std::string hex;
        f >> hex;
        auto s = sync::secret_from_hex(hex);
        if (!s) throw std::runtime_error("no secret for " + device);
        return *s;
    }
    // The key `muster init` made, that the hub's copies of the secrets are sealed under.
    sync::DeviceSecretsKey secrets_key() const { return store::read_device_secrets_key(hub + "/tls/device-secrets.key").value(); }
    SignedParts as(const std::string& device = "entrance-1") const { return SignedParts{device, secret(device), {}, {}, {}}; }

    std::int64_t count(const std::string& sql) const {
        db::Database d(hub + "/hub.db", db::OpenMode::read_only);
        auto s = d.prepare(sql);
        s.step();
        return s.int64(0);
    }
    std::int64_t stored_check_ins() const { return count("SELECT COUNT(*) FROM check_ins"); }
    // Every stored check-in and correction, every column, as text: equal before and after
    // means the hub's records did not change.
    std::string stored_records() const {
        db::Database d(hub + "/hub.db", db::OpenMode::read_only);
        std::string out;
        for (const char* sql : {"SELECT quote(uuid)||quote(device_id)||quote(device_seq)||quote(participant_id)||"
                                "quote(event_id)||quote(session_id)||quote(room_id)||quote(direction)||quote(method)||"
                                "quote(outcome)||quote(reason)||quote(badge_serial)||quote(device_ms)||"
                                "quote(device_offset_min)||quote(staff)||quote(received_ms)||quote(clock_skew_ms)||"
                                "quote(sync_seq) FROM check_ins ORDER BY uuid",
                                "SELECT quote(uuid)||quote(kind)||quote(target_uuid)||quote(participant_id)||"
                                "quote(event_id)||quote(session_id)||quote(status)||quote(reason)||quote(author)||"
                                "quote(device_id)||quote(created_ms)||quote(sync_seq) FROM corrections ORDER BY uuid"}) {
            auto s = d.prepare(sql);
            s.for_each_row([&](const db::Statement& r) { out += r.text(0) + "\n"; });
            out += "--\n";
        }
        return out;
    }
};

// A demo hub with its server running (plain HTTP on loopback, the test limits).
struct RunningHub {
    SyncHub hub;
    ServerProcess server{hub.config(), hub.log()};
    unsigned short port() const { return server.port(); }
    int health() const { return http_request(server.port(), "GET", "/v1/health").status; }
};

// A plausible scan record from `device` for demo event 1, made now: participant `who` with
// badge serial 1 (the demo issues one to everyone), session 1, at an entrance (no room).
inline CheckIn make_check_in(const std::string& device, std::int64_t seq, ParticipantId who = 1) {
    CheckIn c;
    TimeMs now = uk_time::now_ms();
    c.uuid = new_uuid(now);
    c.device_id = device;
    c.device_seq = seq;
    c.participant_id = who;
    c.event_id = 1;
    c.session_id = 1;
    c.direction = Direction::entry;
    c.method = Method::qr;
    c.outcome = Outcome::checked_in;
    c.badge_serial = 1;
    c.device_ms = now;
    c.device_offset_min = uk_time::offset_minutes(now);  // as the kiosk writes it: the hub checks
    return c;
}

inline std::string upload_body(const std::vector<CheckIn>& records, TimeMs device_time = uk_time::now_ms()) {
    sync::UploadBatch b;
    b.device_time_ms = device_time;
    b.check_ins = records;
    return sync::to_json(b);
}

}  // namespace muster::test
