// `muster satisfaction`: each event's answers against the 90 % target, as a table, as CSV
// on standard output and as a file (docs/satisfaction.md).
#include "cli_run.hpp"

#include "muster/csv/csv_reader.hpp"
#include "muster/store/satisfaction_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace muster;
using namespace muster::test;

namespace {

const char* roster =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n"
    "Siân,O'Brien,sian@oak.sch.uk,0123456,Oakfield Junior School,012345,ECT,ECT,2025,1\n";

// Conference 1 (event 1) on 2025-10-01 with 9 agree and 1 disagree (exactly 90 %), clinic 1
// (event 2) on 2025-11-12 with 8 agree, 1 not sure, 1 disagree (80 %), conference 2 (event 3)
// with no answers.
struct AnswerCliHub : CliHub {
    int made = 0;
    AnswerCliHub() : CliHub(roster) {
        for (auto [item, date] : {std::pair{"conference-1", "2025-10-01"}, {"clinic-1", "2025-11-12"}, {"conference-2", "2026-01-20"}}) {
            auto made_event = run({"event", "create", "--programme", "ect-y1", "--item", item, "--cohort", "2025", "--date", date,
                                   "--venue", "Leeds"});
            if (made_event.code != 0) throw std::runtime_error("event create failed: " + made_event.err);
        }
        auto db = store::open_database(dir.file("hub/hub.db"));
        give(*db, 1, 9, SatisfactionAnswerKind::agree);
        give(*db, 1, 1, SatisfactionAnswerKind::disagree);
        give(*db, 2, 8, SatisfactionAnswerKind::agree);
        give(*db, 2, 1, SatisfactionAnswerKind::not_sure);
        give(*db, 2, 1, SatisfactionAnswerKind::disagree);
    }
    void give(db::Database& db, EventId event, int n, SatisfactionAnswerKind kind) {
        for (int i = 0; i < n; ++i) {
            char uuid[40];
            std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", ++made);
            sync::SatisfactionAnswer a{uuid, event, std::nullopt, kind, 486'000LL * 3'600'000};
            if (store::store_satisfaction_answer(db, a) != store::AnswerIntake::stored) throw std::runtime_error("not stored");
        }
    }
};

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    csv::Reader reader(text);
    std::vector<std::vector<std::string>> rows;
    while (auto r = reader.next()) rows.push_back(std::move(r->fields));
    return rows;
}

// The line of `text` that contains `needle`, or "".
std::string line_with(const std::string& text, const std::string& needle) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) return line;
    return {};
}

}  // namespace

TEST_CASE("muster satisfaction lists each event with answers newest first against 90 percent", "[cli][satisfaction]") {
    AnswerCliHub hub;
    auto r = hub.run({"satisfaction"});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("at least 90 % agree"));
    auto first = line_with(r.out, "2025-10-01");
    auto second = line_with(r.out, "2025-11-12");
    CHECK_THAT(first, Catch::Contains("90.0 %") && Catch::EndsWith("yes"));
    CHECK_THAT(second, Catch::Contains("80.0 %") && Catch::EndsWith("no"));
    CHECK(r.out.find("2025-11-12") < r.out.find("2025-10-01"));  // newest first
    CHECK(line_with(r.out, "2026-01-20").empty());               // no answers: not listed
}

TEST_CASE("muster satisfaction for one event shows it even with no answers", "[cli][satisfaction]") {
    AnswerCliHub hub;
    auto none = hub.run({"satisfaction", "--event", "3"});
    REQUIRE(none.code == 0);
    CHECK_THAT(line_with(none.out, "2026-01-20"), Catch::Contains("no answers"));
    auto one = hub.run({"satisfaction", "--event", "2"});
    REQUIRE(one.code == 0);
    CHECK_THAT(line_with(one.out, "2025-11-12"), Catch::Contains("10 "));
    CHECK(line_with(one.out, "2025-10-01").empty());
    auto missing = hub.run({"satisfaction", "--event", "99"});
    CHECK(missing.code == 2);
    CHECK_THAT(missing.err, Catch::Contains("no event 99"));
}

TEST_CASE("muster satisfaction writes CSV for Excel to standard output or a file", "[cli][satisfaction][csv]") {
    AnswerCliHub hub;
    auto r = hub.run({"satisfaction", "--csv"});
    REQUIRE(r.code == 0);
    CHECK(r.out.rfind("\xEF\xBB\xBF", 0) == 0);
    auto rows = csv_rows(r.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::vector<std::string>{"event_id", "event_date", "event", "answers", "agree", "not_sure", "disagree",
                                              "percent_agree", "meets_90_percent"});
    CHECK(rows[1].at(0) == "2");
    CHECK(rows[1].at(3) == "10");
    CHECK(rows[1].at(5) == "1");
    CHECK(rows[1].at(7) == "80.0");
    CHECK(rows[1].at(8) == "no");
    CHECK(rows[2].at(7) == "90.0");
    CHECK(rows[2].at(8) == "yes");

    auto none = hub.run({"satisfaction", "--event", "3", "--csv"});
    REQUIRE(none.code == 0);
    auto none_rows = csv_rows(none.out);
    REQUIRE(none_rows.size() == 2);
    CHECK(none_rows[1].at(3) == "0");
    CHECK(none_rows[1].at(7).empty());
    CHECK(none_rows[1].at(8) == "no answers");

    std::string file = hub.dir.file("satisfaction.csv");
    auto written = hub.run({"satisfaction", "--out", file});
    REQUIRE(written.code == 0);
    CHECK_THAT(written.out, Catch::Contains("Wrote 2 event(s)"));
    std::ifstream in(file, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(content == r.out);
}

TEST_CASE("muster satisfaction with no answers anywhere says so and exits 1", "[cli][satisfaction]") {
    CliHub hub(roster);
    auto r = hub.run({"satisfaction"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("no answers"));
    auto help = hub.run({"satisfaction", "--help"});
    CHECK(help.code == 0);
    CHECK_THAT(help.out, Catch::Contains("not sure counts as not"));
}
