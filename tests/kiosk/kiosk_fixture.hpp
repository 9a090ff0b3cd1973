#pragma once
// A demo hub made by `muster demo` in a temp folder, with event 1's sessions placed around
// now in the hub and device databases (so a test never depends on the time of day), and
// tokens signed with the demo hub's key.
#include "temp_dir.hpp"

#include "command.hpp"
#include "muster/badge/badge_token.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <sstream>

namespace muster::test {

struct DemoHub {
    TempDir dir;
    std::string hub = dir.file("hub");
    std::optional<badge::HubKeyPair> key;

    DemoHub() {
        std::ostringstream out, err;
        // No server in the device files: kiosk tests never reach for one (sync tests point
        // the devices at their own server).
        if (admin::run_cli({"demo", "--hub", hub, "--server", ""}, out, err) != 0)
            throw std::runtime_error("demo failed: " + err.str());
        key = badge::HubKeyPair::load_private(hub + "/hub-key.pem");
        TimeMs now = uk_time::now_ms();
        for (const char* db : {"/hub.db", "/devices/entrance-1/device.db", "/devices/room-1/device.db"}) {
            auto d = store::open_database(hub + db);
            auto e = store::load_event(*d, 1);
            TimeMs start = now - 30 * 60'000LL;
            auto s = d->prepare("UPDATE sessions SET starts_ms = ?2, ends_ms = ?3 WHERE id = ?1");
            for (const auto& session : e->sessions) {
                TimeMs len = session.ends_ms - session.starts_ms;
                s.bind(1, session.id).bind(2, start).bind(3, start + len);
                s.run();
                start += len + 45 * 60'000LL;
            }
        }
    }
    std::string entrance() const { return hub + "/devices/entrance-1/device.toml"; }
    std::string room() const { return hub + "/devices/room-1/device.toml"; }
    std::string device_db(const std::string& device = "entrance-1") const { return hub + "/devices/" + device + "/device.db"; }
    std::string token(ParticipantId id, std::uint16_t serial = 1) const { return badge::sign_badge(*key, {id, serial}); }
};

// The value of a JSON string or number field in one of the kiosk's lines (enough for tests).
inline std::string json_field(const std::string& line, const std::string& name) {
    auto key = "\"" + name + "\":";
    auto at = line.find(key);
    if (at == std::string::npos) return "";
    at += key.size();
    if (line[at] == '"') {
        auto end = line.find('"', at + 1);
        return line.substr(at + 1, end - at - 1);
    }
    auto end = line.find_first_of(",}", at);
    return line.substr(at, end - at);
}

}  // namespace muster::test
