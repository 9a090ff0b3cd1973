// `muster progress`: the table for the hub, a school and a participant, its refusals, and
// the CSV for Excel (byte-order mark, CRLF, TRN and URN kept as text).
#include "cli_run.hpp"

#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace muster;
using namespace muster::test;

namespace {

// TRN and URN with leading zeros, the case Excel gets wrong; an NPQ participant whose
// surname a spreadsheet would run as a formula.
const char* progress_roster =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year,part_time\n"
    "Siân,O'Brien,sian@oak.sch.uk,0123456,Oakfield Junior School,012345,ECT,ECT,2025,1,no\n"
    "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook Lane,234567,ECT,ECT,2025,2,no\n"
    "Ada,=1+1,ada@brook.sch.uk,4567890,Brook Lane,234567,NPQ,NPQ,2025,,no\n"
    "Kwame,Mensah,kwame@hub.org.uk,5678901,Castleview School,345678,Facilitator,,,,\n";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string days_from_today(int days) {
    return uk_time::format_date(uk_time::now_ms() + days * 86'400'000LL);
}

}  // namespace

TEST_CASE("muster progress prints each participant and school and writes a CSV for Excel", "[cli][progress]") {
    CliHub hub(progress_roster);
    // Year 1: conference 1 held (nobody came), conference 2 to come. Year 2: nothing yet.
    REQUIRE(hub.run({"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort", "2025", "--date",
                     days_from_today(-3), "--venue", "Leeds"})
                .code == 0);
    REQUIRE(hub.run({"event", "create", "--programme", "ect-y1", "--item", "conference-2", "--cohort", "2025", "--date",
                     days_from_today(30), "--venue", "Leeds"})
                .code == 0);

    auto all = hub.run({"progress"});
    REQUIRE(all.code == 0);
    CHECK_THAT(all.out, Catch::Contains("3 participant(s), 1 at risk"));  // the facilitator is on no programme
    CHECK_THAT(all.out, Catch::Contains("Siân O'Brien"));
    CHECK_THAT(all.out, Catch::Contains("conferences 0/2, clinics 0/3"));
    CHECK_THAT(all.out, Catch::Contains("AT RISK: needs 2 conferences, 1 date(s) left"));
    CHECK_THAT(all.out, Catch::Contains("0/5 elements"));  // the NPQ participant: nothing held yet
    CHECK_THAT(all.out, Catch::Contains("By school:"));
    CHECK_THAT(all.out, Catch::Contains("012345"));
    CHECK_THAT(all.out, !Catch::Contains("Mensah"));

    auto school = hub.run({"progress", "--school", "234567"});
    REQUIRE(school.code == 0);
    CHECK_THAT(school.out, Catch::Contains("2 participant(s)"));
    CHECK_THAT(school.out, !Catch::Contains("Siân"));

    auto one = hub.run({"progress", "--participant", "1"});
    REQUIRE(one.code == 0);
    CHECK_THAT(one.out, Catch::Contains("Elements (ECT year 1):"));
    CHECK_THAT(one.out, Catch::Contains("Absent"));
    CHECK_THAT(one.out, Catch::Contains("Not yet held"));

    std::string csv_path = hub.dir.file("progress.csv");
    auto with_csv = hub.run({"progress", "--csv", csv_path});
    REQUIRE(with_csv.code == 0);
    CHECK_THAT(with_csv.out, Catch::Contains("Wrote 3 row(s) to"));
    auto csv = slurp(csv_path);
    CHECK(csv.rfind("\xEF\xBB\xBF" "participant_id,trn,first_name,last_name,school_urn,", 0) == 0);
    CHECK_THAT(csv, Catch::Contains(",\"=\"\"0123456\"\"\",Siân,O'Brien,\"=\"\"012345\"\"\",Oakfield Junior School,ect,"
                                    "ECT year 1,2025,1,no,5,0,"));
    CHECK_THAT(csv, Catch::Contains(",Ada,'=1+1,"));  // neutralised
    CHECK_THAT(csv, Catch::Contains(",at_risk,needs 2 conferences, 1 date(s) left\r\n") ||
                        Catch::Contains(",at_risk,\"needs 2 conferences, 1 date(s) left\"\r\n"));
    std::size_t lines = 0;
    for (std::size_t at = 0; (at = csv.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
    CHECK(lines == 4);  // header and three rows, every one CRLF
}

TEST_CASE("muster progress refuses what it cannot answer", "[cli][progress]") {
    CliHub hub(progress_roster);
    auto both = hub.run({"progress", "--participant", "1", "--school", "234567"});
    CHECK(both.code == 2);
    CHECK_THAT(both.err, Catch::Contains("not both"));
    auto bad_urn = hub.run({"progress", "--school", "1234"});
    CHECK(bad_urn.code == 2);
    CHECK_THAT(bad_urn.err, Catch::Contains("6 digits"));
    auto nobody = hub.run({"progress", "--participant", "99"});
    CHECK(nobody.code == 1);
    CHECK_THAT(nobody.err, Catch::Contains("no participant 99"));
    auto facilitator = hub.run({"progress", "--participant", "4"});
    CHECK(facilitator.code == 1);
    CHECK_THAT(facilitator.err, Catch::Contains("not on a programme"));
    auto empty_school = hub.run({"progress", "--school", "999999", "--csv", hub.dir.file("x.csv")});
    CHECK(empty_school.code == 1);
    CHECK_FALSE(std::filesystem::exists(hub.dir.file("x.csv")));  // nothing written
}
