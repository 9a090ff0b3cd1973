// The delivery worker on a real hub file (tests/core/central_fixture.hpp: an event signed off
// with five records queued for "crm"), delivering to a stand-in CRM in this process; and a
// real muster-sync-server doing the same from its file's [[central.target]].
#include "central_fixture.hpp"
#include "delivery_receiver.hpp"
#include "delivery_worker.hpp"
#include "https_target.hpp"
#include "target_factory.hpp"
#include "wait_until.hpp"

#include "muster/util/config_error.hpp"
#include "log_lines.hpp"
#include "server_process.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

using namespace muster;
namespace json = boost::json;

namespace {

constexpr std::chrono::seconds patience{20};

std::set<std::string> keys_of(const std::vector<test::ReceivedRequest>& requests) {
    std::set<std::string> keys;
    for (const auto& r : requests) keys.insert(r.keys.begin(), r.keys.end());
    return keys;
}

central::CentralConfig crm_config(const test::DeliveryReceiver& crm, int poll_ms = 60'000) {
    central::CentralConfig c;
    c.poll_ms = poll_ms;
    central::TargetConfig t;
    t.name = "crm";
    t.url = crm.url();
    t.requests_per_s = 0;
    t.timeout_ms = 2000;
    t.backoff_initial_ms = 20;
    t.backoff_max_ms = 200;
    c.targets.push_back(t);
    return c;
}

struct Worker {
    std::FILE* sink = std::tmpfile();
    log::Logger log{log::Level::debug, sink};
    std::optional<central::DeliveryWorker> worker;
    Worker(test::CentralHub& h, const central::CentralConfig& c) {
        std::vector<std::unique_ptr<central::DeliveryTarget>> targets;
        targets.push_back(central::make_https_target(c.targets.at(0)));
        worker.emplace(h.hub.dir.file("hub.db"), c, log, [] { return uk_time::now_ms(); }, std::move(targets));
        worker->start();
    }
    ~Worker() {
        worker.reset();
        std::fclose(sink);
    }
    std::string text() {
        std::string all;
        for (auto& line : test::log_lines(sink)) all += json::serialize(line) + "\n";
        return all;
    }
};

int count(test::CentralHub& h, const std::string& sql) { return static_cast<int>(h.count(sql)); }

// The worker records results after the reply: waits until the database says `n` are delivered,
// for at most `patience`.
bool delivered(test::CentralHub& h, int n) {
    return test::wait_until(
        [&] { return count(h, "SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'delivered'") >= n; },
        patience);
}

}  // namespace

TEST_CASE("The worker delivers a signed-off event's records and logs no personal data", "[central][worker]") {
    test::CentralHub h;
    h.ready();
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t) { return test::created_reply(r); });
    Worker w(h, crm_config(crm));
    REQUIRE(crm.wait_until([](const auto& rs) { return keys_of(rs).size() == 5; }, patience));
    REQUIRE(delivered(h, 5));
    CHECK(count(h, "SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'delivered' AND "
                   "remote_id LIKE 'crm-%' AND last_status = 200") == 5);
    CHECK(count(h, "SELECT count(*) FROM central_targets WHERE name = 'files' AND active = 0") == 1);  // not in the file
    w.worker->stop();
    const auto log = w.text();
    CHECK(log.find("central_batch") != std::string::npos);
    for (const char* personal : {"Siân", "Zoë", "O'Brien", "1234567", "oak.sch.uk"}) CHECK(log.find(personal) == std::string::npos);
}

TEST_CASE("Entries a killed server left sending are released and delivered at start", "[central][worker]") {
    test::CentralHub h;
    h.ready();
    auto claimed = store::claim_due_deliveries(h.db, "crm", 3, uk_time::now_ms());
    REQUIRE(claimed.size() == 3);
    CHECK(count(h, "SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'sending'") == 3);
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t) { return test::created_reply(r); });
    Worker w(h, crm_config(crm));
    REQUIRE(crm.wait_until([](const auto& rs) { return keys_of(rs).size() == 5; }, patience));
    REQUIRE(delivered(h, 5));
    w.worker->stop();
    CHECK(w.text().find("central_released") != std::string::npos);
}

TEST_CASE("A 500 is retried after back-off and wake brings a correction at once", "[central][worker]") {
    test::CentralHub h;
    h.ready();
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t n) {
        if (n == 0) return test::ReceiverReply{500, "", {}, {}};
        return test::created_reply(r);
    });
    Worker w(h, crm_config(crm, 600'000));  // a long poll: only the back-off and wake() bring it back
    REQUIRE(crm.wait_until([](const auto& rs) { return keys_of(rs).size() == 5 && rs.size() >= 2; }, patience));
    REQUIRE(delivered(h, 5));
    CHECK(count(h, "SELECT count(*) FROM central_deliveries WHERE target = 'crm' AND state = 'delivered' AND attempts = 2") == 5);

    // An amendment after delivery queues a correction; wake() sends it without waiting for the poll.
    REQUIRE(h.amend(h.correction(store::StaffAction::absent, h.rhys, "not ill after all"), uk_time::now_ms()).outcome ==
            store::CorrectionOutcome::stored);
    w.worker->wake();
    REQUIRE(crm.wait_until([](const auto& rs) { return keys_of(rs).size() == 6; }, patience));
    auto last = crm.requests().back();
    auto record = json::parse(last.body).as_object().at("records").as_array().at(0).as_object();
    CHECK(record.at("version").as_int64() == 2);
    CHECK(record.at("correction").as_bool());
}

TEST_CASE("A real server with an https target in its file delivers a signed-off event", "[central][worker][process]") {
    test::CentralHub h;
    h.ready();
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t) { return test::created_reply(r); });
    const auto config = h.hub.dir.file("sync-server.toml");
    std::ofstream(config) << "[server]\nlisten = \"127.0.0.1\"\nport = 0\n[tls]\nenabled = false\n[hub]\n"
                             "database = \"hub.db\"\ndevice_secrets_key = \"device-secrets.key\"\n[central]\npoll_ms = 500\n"
                             "[[central.target]]\nname = \"crm\"\nkind = \"https\"\nurl = \"" +
                                 crm.url() + "\"\nrequests_per_s = 20\n";
    const auto log = h.hub.dir.file("server.log");
    test::ServerProcess server(config, log);
    const bool arrived = crm.wait_until([](const auto& rs) { return keys_of(rs).size() == 5; }, patience);
    INFO(test::read_text_file(config) + test::read_text_file(log));
    REQUIRE(arrived);
    REQUIRE(crm.wait_until([](const auto& rs) { return keys_of(rs).size() == 5; }, patience));
    auto started = test::wait_for_log(log, "central_delivery_started", [](const auto&) { return true; }, patience);
    REQUIRE(started);
    CHECK(started->at("targets").as_int64() == 1);
    server.terminate();
    CHECK(server.wait(std::chrono::seconds(20)) == 0);
    CHECK(delivered(h, 5));

    // The target taken out of the file: the next start leaves it inactive, so a later sign-off
    // queues nothing for a target nobody sends to.
    std::ofstream(config) << "[server]\nlisten = \"127.0.0.1\"\nport = 0\n[tls]\nenabled = false\n[hub]\n"
                             "database = \"hub.db\"\ndevice_secrets_key = \"device-secrets.key\"\n";
    test::ServerProcess again(config, log);  // returns once it listens: after the targets were read
    REQUIRE(store::active_central_targets(*h.hub.db).empty());
    again.terminate();
    CHECK(again.wait(std::chrono::seconds(20)) == 0);
}

TEST_CASE("Targets are made by kind, the file kinds by the core", "[central][worker]") {
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "out");
    central::CentralConfig c;
    central::TargetConfig crm;
    crm.name = "crm";
    crm.url = "https://crm.example.org/api";
    central::TargetConfig files;
    files.name = "files";
    files.kind = store::TargetKind::csv;
    files.folder = dir.path() / "out";
    central::TargetConfig evidence = files;
    evidence.name = "lp";
    evidence.kind = store::TargetKind::evidence_csv;
    c.targets = {crm, files, evidence};
    auto made = central::make_targets(c);
    REQUIRE(made.size() == 3);
    for (const auto& t : made) CHECK(t != nullptr);
    c.targets[1].folder = dir.path() / "missing";
    CHECK_THROWS_AS(central::make_targets(c), muster::ConfigError);
}
