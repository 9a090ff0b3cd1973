#pragma once
// A demo hub, its sync server on a fixed free port over HTTPS (the pinned certificate),
// and its devices pointed at it with a short poll, plus `extra` more entrance kiosks made
// with the real `muster device add`.
#include "sync_fixture.hpp"

#include "command.hpp"

#include <boost/asio.hpp>

#include <fstream>
#include <memory>
#include <random>
#include <sstream>

namespace muster::test {

// A free port below the kernel's ephemeral range (32768 and up), so that no server started
// with port 0 by a test running alongside can take it between now and our restarts.
inline unsigned short free_port() {
    static std::mt19937 rng(std::random_device{}());
    boost::asio::io_context ioc;
    for (;;) {
        auto port = static_cast<unsigned short>(std::uniform_int_distribution<int>(20000, 32000)(rng));
        boost::system::error_code ec;
        boost::asio::ip::tcp::acceptor a(ioc);
        a.open(boost::asio::ip::tcp::v4(), ec);
        a.bind({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
        if (!ec) return port;
    }
}

struct SyncWorld : SyncHub {
    unsigned short port = free_port();

    explicit SyncWorld(int extra_entrances = 0, int poll_ms = 300) {
        std::vector<std::string> ids = {"entrance-1", "room-1"};
        for (int i = 2; i < 2 + extra_entrances; ++i) {
            std::string id = "entrance-" + std::to_string(i);
            std::ostringstream out, err;
            if (admin::run_cli({"device", "add", "--hub", hub, "--id", id, "--event", "1", "--pin", "2468"}, out, err) != 0)
                throw std::runtime_error("device add failed: " + err.str());
            ids.push_back(id);
        }
        for (const auto& id : ids) point_at_server(id, poll_ms);
    }

    std::string url() const { return "https://localhost:" + std::to_string(port); }
    std::string device_toml(const std::string& id) const { return hub + "/devices/" + id + "/device.toml"; }
    std::string kiosk_log(const std::string& id) const { return hub + "/" + id + ".log"; }

    void point_at_server(const std::string& id, int poll_ms) const {
        std::ifstream in(device_toml(id));
        std::stringstream ss;
        ss << in.rdbuf();
        std::string text = ss.str();
        // Whole lines replaced (no std::regex: GCC 12 warns inside <regex> under the sanitizers).
        std::istringstream lines(text);
        std::string line, out;
        while (std::getline(lines, line)) {
            if (line.rfind("url = ", 0) == 0) line = "url = \"" + url() + "\"";
            if (line.rfind("poll_ms = ", 0) == 0) line = "poll_ms = " + std::to_string(poll_ms);
            out += line + "\n";
        }
        std::ofstream(device_toml(id)) << out;
    }

    std::unique_ptr<ServerProcess> start_server() const {
        return std::make_unique<ServerProcess>(config(1 << 20, 10'000, 500), log(), /*plain_http=*/false, port);
    }

    std::int64_t device_count(const std::string& id, const std::string& sql) const {
        db::Database d(hub + "/devices/" + id + "/device.db", db::OpenMode::read_only);
        auto s = d.prepare(sql);
        s.step();
        return s.int64(0);
    }
    std::set<std::string> uuids(const std::string& db_path) const {
        db::Database d(db_path, db::OpenMode::read_only);
        auto s = d.prepare("SELECT uuid FROM check_ins WHERE event_id = 1");
        std::set<std::string> out;
        while (s.step()) out.insert(s.text(0));
        return out;
    }
    std::set<std::string> hub_uuids() const { return uuids(hub + "/hub.db"); }
    std::set<std::string> device_uuids(const std::string& id) const { return uuids(hub + "/devices/" + id + "/device.db"); }
};

// Polls `done` every 50 ms until it holds or `limit` passes.
template <class F>
bool eventually(F&& done, std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

}  // namespace muster::test
