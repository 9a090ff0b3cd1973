#include "fuzz_hub.hpp"

#include "muster/badge/badge_token.hpp"
#include "muster/roster/roster_import.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <cstdlib>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace muster::fuzz {
namespace {

// The roster of tests/support/test_hub.hpp: six people in three schools.
const char* roster_csv =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n"
    "Siân,O'Brien,sian.obrien@oak.sch.uk,1234567,Oakfield Junior School,123456,ECT,ECT,2025,1\n"
    "Zoë,Ó Súilleabháin,zoe@oak.sch.uk,2345678,Oakfield Junior School,123456,ECT,ECT,2025,1\n"
    "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook Lane,234567,ECT,ECT,2025,1\n"
    "Aisha,Khan,aisha@brook.sch.uk,4567890,Brook Lane,234567,Mentor,Mentor,2025,\n"
    "Kwame,Mensah,kwame@hub.org.uk,5678901,Castleview School,345678,Facilitator,,,\n"
    "Grace,Hughes,grace@hub.org.uk,6789012,Castleview School,345678,Facilitator,,,\n";

std::filesystem::path temp_root() {
    // tmpfs: the store's fsyncs cost nothing, so executions stay fast.
    if (::access("/dev/shm", W_OK) == 0) return "/dev/shm";
    return std::filesystem::temp_directory_path();
}

std::filesystem::path* made_dir = nullptr;

void remove_dir() {
    std::error_code ec;
    if (made_dir) std::filesystem::remove_all(*made_dir, ec);
}

FuzzHub make_hub() {
    FuzzHub h;
    std::random_device rd;
    h.dir = temp_root() / ("muster-fuzz-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(h.dir);
    made_dir = new std::filesystem::path(h.dir);
    std::atexit(remove_dir);
    h.database = (h.dir / "hub.db").string();
    h.started_ms = uk_time::now_ms();

    auto db = store::open_database(h.database);
    auto keys = badge::HubKeyPair::generate();
    auto ins = db->prepare("INSERT INTO hub (id, name, public_key, key_id, created_ms) VALUES (1, 'Fuzz hub', ?1, ?2, 0)");
    ins.bind_blob(1, keys.public_key().data(), keys.public_key().size()).bind(2, badge::key_id(keys.public_key()));
    ins.run();
    if (!roster::import_roster(*db, roster_csv).committed) throw std::runtime_error("fuzz roster did not import");
    h.event = store::create_event(*db, {"ect-y1", "conference-1", 2025, uk_time::format_date(h.started_ms), "Venue", 2, 10});
    auto event = store::load_event(*db, h.event);
    TimeMs start = h.started_ms - 30 * 60'000LL;
    auto move = db->prepare("UPDATE sessions SET starts_ms = ?2, ends_ms = ?3 WHERE id = ?1");
    for (const auto& session : event->sessions) {
        TimeMs len = session.ends_ms - session.starts_ms;
        move.bind(1, session.id).bind(2, start).bind(3, start + len);
        move.run();
        start += len + 45 * 60'000LL;
    }
    for (ParticipantId p = 1; p <= 6; ++p) store::issue_signed_badge(*db, keys, p, h.started_ms, store::next_change(*db));

    h.secrets_key = sync::generate_device_secrets_key();
    auto add = [&](const std::string& id, DeviceMode mode, std::optional<RoomId> room, sync::DeviceSecret& secret) {
        secret = sync::generate_secret();
        store::insert_device(*db, {id, id, mode, h.event, room, 0, sync::seal_device_secret(h.secrets_key, id, secret)});
    };
    add("entrance-1", DeviceMode::entrance, std::nullopt, h.entrance_secret);
    add("room-1", DeviceMode::room, event->rooms.empty() ? std::nullopt : std::optional<RoomId>(event->rooms.front().id),
        h.room_secret);
    add("revoked-1", DeviceMode::entrance, std::nullopt, h.revoked_secret);
    store::revoke_device(*db, "revoked-1", 0);
    return h;
}

}  // namespace

const FuzzHub& fuzz_hub() {
    static const FuzzHub hub = make_hub();
    return hub;
}

}  // namespace muster::fuzz
