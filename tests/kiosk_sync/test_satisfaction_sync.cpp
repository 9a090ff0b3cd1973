// Satisfaction answers from an exit kiosk to the hub: answered in the model, uploaded to a
// real muster-sync-server, acknowledged, forgotten on the device and stored at the hub; the
// upload's JSON holds five fields an answer and nothing else; an answer waits on the device
// for others (or for its hour to end); and one the hub refuses is forgotten, with a count
// logged and nothing more.
#include "device_config.hpp"
#include "fake_hub.hpp"
#include "kiosk_model.hpp"
#include "log_lines.hpp"
#include "sync_client.hpp"
#include "sync_world.hpp"

#include "muster/store/event_store.hpp"
#include "muster/store/satisfaction_store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <set>

using namespace std::chrono_literals;
using namespace muster;
using namespace muster::test;

namespace {

struct Row {
    std::string uuid;
    EventId event_id;
    std::optional<SessionId> session_id;
    std::string answer;
    TimeMs hour;
    bool operator<(const Row& o) const { return uuid < o.uuid; }
    bool operator==(const Row&) const = default;
};

std::set<Row> answers_in(const std::string& db_path) {
    db::Database d(db_path, db::OpenMode::read_only);
    std::set<Row> out;
    d.prepare("SELECT uuid, event_id, session_id, answer, answered_hour_ms FROM satisfaction_answers")
        .for_each_row([&](const db::Statement& r) {
            out.insert(Row{r.text(0), r.int64(1), r.opt_int64(2), r.text(3), r.int64(4)});
        });
    return out;
}

std::size_t answers_on(const std::string& db_path) { return answers_in(db_path).size(); }

}  // namespace

TEST_CASE("Satisfaction answers given at an exit kiosk reach the hub and leave the device", "[sync][satisfaction]") {
    SyncWorld world;
    auto server = world.start_server();
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    config.direction = Direction::exit;
    kiosk::ScanQueue queue;
    kiosk::KioskModel model(config, queue);
    auto t = kiosk::KioskModel::Clock::now();
    const SatisfactionAnswerKind given[] = {SatisfactionAnswerKind::agree, SatisfactionAnswerKind::agree,
                                            SatisfactionAnswerKind::disagree};
    ParticipantId who = 3;
    for (auto answer : given) {
        queue.on_scan(kiosk::RawScan{kiosk::InputKind::wedge, world.token(who++), "", t});
        model.tick(t);
        REQUIRE(model.last_result()->decision.outcome == Outcome::checked_out);
        model.tick(t += kiosk::KioskModel::goodbye_time + 10ms);
        REQUIRE(model.screen() == kiosk::Screen::question);
        model.answer_question(answer);
        model.tick(t += 10ms);
        REQUIRE(model.screen() == kiosk::Screen::thanks);
        t += 10s;
    }
    // Read before the sync could take them: what the device stored is what the hub must hold.
    auto device_db = world.device_db("entrance-1");
    auto made = answers_in(device_db);
    if (made.size() == 3) {
        for (const auto& a : made) {
            CHECK(a.event_id == 1);
            CHECK(a.session_id == model.station().desk().setup().session_id);
        }
    }
    REQUIRE(eventually([&] { return answers_on(device_db) == 0 && world.count("SELECT COUNT(*) FROM satisfaction_answers") == 3; },
                       std::chrono::seconds(15)));
    auto at_hub = answers_in(world.hub + "/hub.db");
    std::multiset<std::string> kinds;
    for (const auto& a : at_hub) {
        kinds.insert(a.answer);
        CHECK(a.event_id == 1);
        CHECK(a.session_id == model.station().desk().setup().session_id);
        CHECK(a.hour % store::satisfaction_hour_ms == 0);
    }
    CHECK(kinds == std::multiset<std::string>{"agree", "agree", "disagree"});
    if (made.size() == 3) CHECK(at_hub == made);  // the same uuids, content unchanged
    auto figure = store::satisfaction_for_event(*store::open_database(world.hub + "/hub.db"), 1);
    REQUIRE(figure);
    CHECK(figure->agree == 2);
    CHECK(figure->disagree == 1);
    // The scans went as before, and staff's counts are of scans only.
    REQUIRE(eventually([&] { return model.sync_status()->queued == 0; }, std::chrono::seconds(15)));
    CHECK(world.stored_check_ins() == 3);
}

TEST_CASE("An upload holds five fields an answer, answers wait for company, and refused ones are forgotten with a count", "[sync][satisfaction][privacy]") {
    SyncWorld world;
    std::mutex seen_mutex;
    std::set<std::string> refused;
    FakeHub hub([&](const sync::UploadBatch& b) {
        sync::UploadReply reply;
        reply.server_time_ms = uk_time::now_ms();
        for (const auto& c : b.check_ins) reply.acked.push_back(c.uuid);
        for (const auto& a : b.satisfaction) {
            if (a.event_id == 1) {
                reply.acked.push_back(a.uuid);
            } else {
                reply.rejected.push_back({a.uuid, "not an answer for this device's event", sync::RejectionCode::wrong_event});
                std::lock_guard lock(seen_mutex);
                refused.insert(a.uuid);
            }
        }
        return std::pair{200, sync::to_json(reply)};
    });
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    config.server_urls = {hub.url()};
    config.sync_push = false;  // the fake hub serves one connection at a time, and holds no long poll
    auto db = store::open_database(config.database);
    SessionId session = store::load_event(*db, 1)->sessions.at(0).id;
    // An hour not over yet (the next one, so the test cannot cross its end by chance).
    const TimeMs this_hour = uk_time::now_ms() + store::satisfaction_hour_ms;
    const TimeMs hours_ago = uk_time::now_ms() - 2 * store::satisfaction_hour_ms;

    test::TempDir logs;
    std::FILE* log_file = std::fopen(logs.file("sync.log").c_str(), "w");
    REQUIRE(log_file);
    log::Logger logger(log::Level::info, log_file);
    kiosk::SyncClient client(config.sync_settings(), nullptr, &logger);

    auto alone = store::record_satisfaction_answer(*db, 1, session, SatisfactionAnswerKind::agree, this_hour);
    client.start();
    REQUIRE(eventually([&] { return client.status().passes >= 3; }, std::chrono::seconds(10)));
    CHECK(answers_on(config.database) == 1);  // alone in an hour not over: it waits
    CHECK(hub.uploads() == 0);

    // One from an hour that has ended goes by itself (nudged like a scan would).
    auto old = store::record_satisfaction_answer(*db, 1, std::nullopt, SatisfactionAnswerKind::not_sure, hours_ago);
    client.nudge();
    REQUIRE(eventually([&] { return answers_on(config.database) == 1; }, std::chrono::seconds(10)));
    CHECK(answers_in(config.database).begin()->uuid == alone.uuid);

    // Three waiting are company: all go, and the one for another event is refused and forgotten.
    store::record_satisfaction_answer(*db, 1, session, SatisfactionAnswerKind::disagree, this_hour);
    auto stray = store::record_satisfaction_answer(*db, 99, session, SatisfactionAnswerKind::agree, this_hour);
    client.nudge();
    REQUIRE(eventually([&] { return answers_on(config.database) == 0; }, std::chrono::seconds(10)));
    {
        std::lock_guard lock(seen_mutex);
        CHECK(refused == std::set<std::string>{stray.uuid});
    }
    client.stop();
    std::fclose(log_file);

    // On the wire: each answer is exactly these five fields (no device, badge, person or time of day).
    std::set<std::string> sent;
    for (const auto& body : hub.upload_bodies()) {
        auto upload = boost::json::parse(body).as_object();
        if (!upload.contains("satisfaction")) continue;
        for (const auto& item : upload.at("satisfaction").as_array()) {
            const auto& a = item.as_object();
            std::set<std::string> keys;
            for (const auto& kv : a) keys.insert(std::string(kv.key()));
            CHECK(keys == std::set<std::string>{"uuid", "event_id", "session_id", "answer", "answered_hour_ms"});
            CHECK(a.at("answered_hour_ms").as_int64() % store::satisfaction_hour_ms == 0);
            sent.insert(std::string(a.at("uuid").as_string()));
        }
    }
    CHECK(sent.size() == 4);
    CHECK(sent.count(old.uuid) == 1);
    CHECK(client.status().rejected == 0);  // staff's refused records are records, not answers

    // The refusal is logged as a count, with no uuid or answer.
    auto lines = log_lines(logs.file("sync.log"));
    std::size_t refusals = 0;
    for (const auto& line : lines) {
        if (line.at("event").as_string() != "satisfaction_refused") continue;
        ++refusals;
        CHECK(line.at("count").as_int64() == 1);
        std::set<std::string> keys;
        for (const auto& kv : line) keys.insert(std::string(kv.key()));
        CHECK(keys == std::set<std::string>{"ts", "level", "event", "device", "count"});
    }
    CHECK(refusals == 1);
}
