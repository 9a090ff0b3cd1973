#pragma once
// A hub made by the real `muster init` with one event of `participants` expected people,
// every row settled by a staff mark, ready to be signed off; and the https target's table
// appended to its sync-server.toml, pointing at a stand-in CRM (crm_stand_in_process.hpp).
// For the delivery tests (tests/central) and the drain bench (bench/central).
#include "temp_dir.hpp"
#include "wait_until.hpp"

#include "command.hpp"
#include "muster/store/central_outbox.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/reconciliation_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/uuid.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace muster::test {

// The target's table; the defaults are a test's (small back-off, a short timeout).
struct CentralTargetOptions {
    std::string name = "crm";
    int batch_size = 10;
    double requests_per_s = 0;
    int timeout_ms = 300;
    int backoff_initial_ms = 50, backoff_max_ms = 500;
    int poll_ms = 100;
    std::string token = "stand-in-token";  // bearer

    static CentralTargetOptions paced(int batch_size, double requests_per_s) {
        CentralTargetOptions t;
        t.batch_size = batch_size;
        t.requests_per_s = requests_per_s;
        return t;
    }
};

// Appends [central] and one https [[central.target]] at a stand-in's port to HUB/sync-server.toml,
// the bearer token in a 0600 file beside it. Once per hub, before its server starts.
inline void append_https_target(const std::string& hub, unsigned short port, const CentralTargetOptions& t) {
    std::string secret = hub + "/" + t.name + ".token";
    std::ofstream(secret) << t.token << "\n";
    std::filesystem::permissions(secret, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace);
    std::ofstream(hub + "/sync-server.toml", std::ios::app)
        << "\n[central]\npoll_ms = " << t.poll_ms << "\n\n[[central.target]]\nname = \"" << t.name
        << "\"\nkind = \"https\"\nurl = \"http://127.0.0.1:" << port << "/api/attendance\"\nauth = \"bearer\"\n"
        << "secret_file = \"" << t.name << ".token\"\nbatch_size = " << t.batch_size
        << "\nrequests_per_s = " << t.requests_per_s << "\ntimeout_ms = " << t.timeout_ms
        << "\nbackoff_initial_ms = " << t.backoff_initial_ms << "\nbackoff_max_ms = " << t.backoff_max_ms << "\n";
}

struct CentralHub {
    TempDir dir;
    std::string hub = dir.file("hub");
    std::unique_ptr<db::Database> db;
    EventId event = 0;
    std::vector<ParticipantId> people;  // expected at the event
    store::CorrectionAuthor staff{std::nullopt, "Test Staff"};

    // `odd_last_name` given: the last participant has this last name (a record a CRM refuses).
    explicit CentralHub(int participants, const std::string& odd_last_name = "") {
        run({"init", "--hub", hub, "--name", "Test TSH", "--listen", "127.0.0.1"});
        std::ostringstream csv;
        csv << "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n";
        for (int i = 0; i < participants; ++i) {
            std::string last = (i + 1 == participants && !odd_last_name.empty()) ? odd_last_name : "Test" + letters(i);
            csv << "Pat," << last << ",p" << i << "@school" << i % 50 << ".sch.uk," << 1'000'000 + i << ",School "
                << letters(i % 50) << "," << 100'000 + i % 50 << ",ECT,ECT,2025,1\n";
        }
        std::string roster = dir.file("roster.csv");
        std::ofstream(roster) << csv.str();
        run({"roster", "import", roster, "--hub", hub});
        db = store::open_database(hub + "/hub.db");
        event = store::create_event(*db, {"ect-y1", "conference-1", 2025, "2025-10-01", "Test venue", 2, 10});
        for (const auto& e : store::enrolments(*db, event)) people.push_back(e.participant_id);
        if (static_cast<int>(people.size()) != participants) throw std::runtime_error("not everyone is expected");
        settle_all();
    }

    // Every expected person marked present by staff (bulk, 500 at a time): no row left to settle.
    void settle_all() {
        TimeMs now = uk_time::now_ms();
        for (std::size_t at = 0; at < people.size(); at += 500) {
            std::vector<store::StaffCorrection> marks;
            for (std::size_t i = at; i < std::min(people.size(), at + 500); ++i) {
                store::StaffCorrection c;
                c.uuid = new_uuid(now);
                c.action = store::StaffAction::present;
                c.event_id = event;
                c.participant_id = people[i];
                c.reason = "on the paper register";
                marks.push_back(std::move(c));
            }
            for (const auto& r : store::record_staff_corrections(*db, staff, marks, now))
                if (r.outcome != store::CorrectionOutcome::stored) throw std::runtime_error("mark refused: " + r.problem);
        }
    }

    // Sign-off queues version 1 of every record for every registered target.
    void sign_off() {
        auto r = store::sign_off_event(*db, event, staff, "", uk_time::now_ms());
        if (r.outcome != store::SignOffOutcome::signed_off) throw std::runtime_error("sign-off refused: " + r.problem);
    }

    // An amendment of a signed-off event's row (the next version of the person's record).
    store::CorrectionResult amend(ParticipantId who, store::StaffAction action, const std::string& reason) {
        store::StaffCorrection c;
        c.uuid = new_uuid(uk_time::now_ms());
        c.action = action;
        c.event_id = event;
        c.participant_id = who;
        c.reason = reason;
        c.amendment_reason = "the school sent a note";
        return store::record_staff_correction(*db, staff, c, uk_time::now_ms());
    }

    std::string config() const { return hub + "/sync-server.toml"; }
    std::string log() const { return hub + "/server.log"; }

    // Appends the https target's table to the hub's sync-server.toml (append_https_target).
    void add_https_target(unsigned short port, const CentralTargetOptions& t = {}) const { append_https_target(hub, port, t); }

    // Every record version queued, as the idempotency keys a target named `target` is sent.
    std::vector<std::string> expected_keys(const std::string& target = "crm") const {
        std::vector<std::string> keys;
        auto s = db->prepare("SELECT record_id, version FROM central_records ORDER BY record_id, version");
        s.for_each_row([&](const db::Statement& r) { keys.push_back(target + ":" + r.text(0) + ":" + std::to_string(r.int64(1))); });
        return keys;
    }

    store::DeliveryCounts counts() const {
        store::DeliveryCounts total;
        for (const auto& t : store::central_totals(*db)) {
            total.pending += t.counts.pending, total.sending += t.counts.sending, total.delivered += t.counts.delivered;
            total.rejected += t.counts.rejected, total.superseded += t.counts.superseded;
        }
        return total;
    }

    static std::string letters(int n) {  // 0 → "a", 25 → "z", 26 → "ba": names without digits
        std::string s;
        do {
            s.insert(s.begin(), static_cast<char>('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return s;
    }

    // `muster ARGS...`, throwing with its error when it fails.
    static void run(const std::vector<std::string>& args) {
        std::ostringstream out, err;
        if (admin::run_cli(args, out, err) != 0) throw std::runtime_error("muster " + args[0] + " failed: " + err.str());
    }
};

}  // namespace muster::test
