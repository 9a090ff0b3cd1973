// The file targets of the central records (docs/central.md, "File targets"): a CSV file per
// batch in a real folder, written whole, opened again with the spreadsheet-like reader.
#include "temp_dir.hpp"

#include "muster/central/central_record.hpp"
#include "muster/central/delivery_target.hpp"
#include "muster/csv/csv_reader.hpp"
#include "muster/util/config_error.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

using namespace muster;
using central::CentralRecord;
using store::DeliveryItem;
using Kind = store::DeliveryResult::Kind;

namespace {

const std::string hostile_name = "=HYPERLINK(\"http://evil.example\",\"x\")";

CentralRecord record(const std::string& id, EventId event, int parts) {
    CentralRecord r;
    r.record_id = id;
    r.created_ms = 1'760'000'000'000;
    r.cause = "sign_off";
    r.event_id = event;
    r.event_title = "ECT conference " + std::to_string(event);
    r.event_date = "2025-10-14";
    r.venue = "Leeds, Hall 2";
    r.programme = "ECF year 1";
    r.course = "Conference 2";
    r.cohort = 2025;
    r.signed_off_ms = r.created_ms;
    r.participant_id = 40 + event;
    r.first_name = "Siân";
    r.last_name = "O'Brien";
    r.trn = "0012345";
    r.email = "sian@school.example";
    r.school_name = "Leeds, \"Park\" Primary";
    r.school_urn = "012345";
    r.status = AttendanceStatus::late;
    r.minutes_late = 12;
    r.checked_out_ms = r.created_ms - 3'600'000;
    for (int i = 0; i < parts; ++i) {
        central::RecordPart p;
        p.session_id = 100 + i;
        p.name = i == 0 ? "Morning" : "Part " + std::to_string(i + 1);
        p.starts_ms = r.created_ms - 8 * 3'600'000 + i * 3'600'000;
        p.ends_ms = p.starts_ms + 3'000'000;
        p.attended = i != 1;
        if (p.attended) p.in_ms = p.starts_ms + 60'000;
        r.parts.push_back(p);
    }
    r.evidence = central::evidence_held(r.status);
    r.check_in_uuids = {"0190a1b2-0000-7000-8000-000000000001", "0190a1b2-0000-7000-8000-000000000002"};
    return r;
}

DeliveryItem item(const std::string& target, std::int64_t id, const CentralRecord& r, bool correction = false) {
    DeliveryItem d;
    d.delivery_id = id;
    d.target = target;
    d.record_id = r.record_id;
    d.version = r.version;
    d.correction = correction;
    d.idempotency_key = target + ":" + r.record_id + ":" + std::to_string(r.version);
    d.payload = central::to_json(r);
    d.attempts = 1;
    return d;
}

central::TargetConfig target_config(const std::string& name, store::TargetKind kind, const std::filesystem::path& folder) {
    central::TargetConfig c;
    c.name = name;
    c.kind = kind;
    c.folder = folder;
    return c;
}

// The files an importer would take: every name not starting with '.'.
std::vector<std::filesystem::path> final_files(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(folder))
        if (e.path().filename().string().front() != '.') out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The file as a spreadsheet would see it: one map of column to cell per row.
struct Table {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
};
Table read_table(const std::string& text) {
    csv::Reader reader(text);
    Table t;
    t.header = reader.next().value().fields;
    while (auto r = reader.next()) {
        REQUIRE(r->fields.size() == t.header.size());
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < r->fields.size(); ++i) row[t.header[i]] = r->fields[i];
        t.rows.push_back(row);
    }
    return t;
}

bool only_crlf(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return false;
    return text.size() >= 2 && text.substr(text.size() - 2) == "\r\n";
}

}  // namespace

TEST_CASE("a csv target writes one whole file per batch that a spreadsheet opens as written", "[central][files]") {
    test::TempDir dir;
    auto target = central::make_csv_target(target_config("crm-import", store::TargetKind::csv, dir.path()));
    auto a = record("0190a1b2-0000-7000-8000-00000000000a", 7, 2);
    a.last_name = hostile_name;
    auto b = record("0190a1b2-0000-7000-8000-00000000000b", 8, 3);
    b.version = 2;
    b.status = AttendanceStatus::caught_up;
    b.evidence = central::EvidenceHeld::caught_up;
    b.caught_up_on = "2025-10-20";
    std::vector<DeliveryItem> batch = {item("crm-import", 1, a), item("crm-import", 2, b, true)};

    auto outcomes = target->deliver(batch);

    REQUIRE(outcomes.size() == 2);
    auto files = final_files(dir.path());
    REQUIRE(files.size() == 1);
    const std::string name = files[0].filename().string();
    for (const auto& o : outcomes) {
        CHECK(o.kind == Kind::delivered);
        CHECK(o.remote_id == name);
    }
    // crm-import-20251014T080200-<uuid>.csv, and nothing else left in the folder.
    CHECK(name.rfind("crm-import-", 0) == 0);
    CHECK(name.substr(11 + 8, 1) == "T");
    CHECK(name.substr(name.size() - 4) == ".csv");
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);

    const std::string text = read_all(files[0]);
    CHECK(text.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(only_crlf(text));
    auto t = read_table(text);
    REQUIRE(t.rows.size() == 2);
    // The widest event's parts: three, the narrower record's third part empty.
    CHECK(std::count(t.header.begin(), t.header.end(), "Part 3 attended") == 1);
    CHECK(std::count(t.header.begin(), t.header.end(), "Part 4 name") == 0);
    const auto& r0 = t.rows[0];
    const auto& r1 = t.rows[1];
    CHECK(r0.at("batch_id") == r1.at("batch_id"));
    CHECK(name.find(r0.at("batch_id")) != std::string::npos);
    CHECK(r0.at("record_id") == a.record_id);
    CHECK(r0.at("version") == "1");
    CHECK(r0.at("correction") == "no");
    CHECK(r0.at("idempotency_key") == "crm-import:" + a.record_id + ":1");
    CHECK(r1.at("version") == "2");
    CHECK(r1.at("correction") == "yes");
    CHECK(r1.at("idempotency_key") == "crm-import:" + b.record_id + ":2");
    // Formula-safe, and identifiers with their leading zeros.
    CHECK(r0.at("last_name") == "'" + hostile_name);
    CHECK(r0.at("first_name") == "Siân");
    CHECK(r0.at("trn") == "0012345");
    CHECK(r0.at("school_urn") == "012345");
    CHECK(r0.at("school") == "Leeds, \"Park\" Primary");
    CHECK(r0.at("status") == "late");
    CHECK(r0.at("status_label") == std::string(label(AttendanceStatus::late)));
    CHECK(r0.at("minutes_late") == "12");
    CHECK(r0.at("Part 1 name") == "Morning");
    CHECK(r0.at("Part 1 attended") == "yes");
    CHECK(r0.at("Part 2 attended") == "no");
    CHECK(r0.at("Part 2 in").empty());
    CHECK(r0.at("Part 1 in").size() == 5);  // HH:MM, UK time
    CHECK(r0.at("Part 3 name").empty());
    CHECK(r0.at("Part 3 attended").empty());
    CHECK(r1.at("Part 3 attended") == "yes");
    CHECK(r0.at("evidence") == "Training event attended");
    CHECK(r1.at("evidence") == "Caught up");
    CHECK(r1.at("caught_up_on") == "2025-10-20");
    CHECK(r0.at("check_in_uuids") == a.check_in_uuids[0] + " " + a.check_in_uuids[1]);
    CHECK(r0.at("event_date") == "2025-10-14");
    CHECK(r1.at("event_title") == "ECT conference 8");
}

TEST_CASE("a retried batch is a new file whose rows carry the same idempotency keys", "[central][files]") {
    test::TempDir dir;
    auto target = central::make_csv_target(target_config("crm", store::TargetKind::csv, dir.path()));
    std::vector<DeliveryItem> batch = {item("crm", 1, record("0190a1b2-0000-7000-8000-0000000000c1", 3, 1))};
    REQUIRE(target->deliver(batch)[0].kind == Kind::delivered);
    REQUIRE(target->deliver(batch)[0].kind == Kind::delivered);
    auto files = final_files(dir.path());
    REQUIRE(files.size() == 2);
    auto first = read_table(read_all(files[0])), second = read_table(read_all(files[1]));
    CHECK(first.rows.at(0).at("batch_id") != second.rows.at(0).at("batch_id"));
    CHECK(first.rows.at(0).at("idempotency_key") == second.rows.at(0).at("idempotency_key"));
}

TEST_CASE("an evidence-csv target writes what a lead provider declares from", "[central][files]") {
    test::TempDir dir;
    auto target = central::make_evidence_csv_target(target_config("lead-provider", store::TargetKind::evidence_csv, dir.path()));
    auto a = record("0190a1b2-0000-7000-8000-0000000000e1", 7, 2);
    a.first_name = hostile_name;
    a.last_name = "Smith";
    auto b = record("0190a1b2-0000-7000-8000-0000000000e2", 7, 2);
    b.status = AttendanceStatus::caught_up;
    b.evidence = central::EvidenceHeld::caught_up;
    b.caught_up_on = "2025-10-21";
    auto c = record("0190a1b2-0000-7000-8000-0000000000e3", 7, 2);
    c.status = AttendanceStatus::absent;
    c.evidence = central::EvidenceHeld::none;
    c.trn.reset();
    std::vector<DeliveryItem> batch = {item("lead-provider", 1, a), item("lead-provider", 2, b), item("lead-provider", 3, c, true)};

    auto outcomes = target->deliver(batch);

    for (const auto& o : outcomes) CHECK(o.kind == Kind::delivered);
    auto files = final_files(dir.path());
    REQUIRE(files.size() == 1);
    CHECK(files[0].filename().string().rfind("lead-provider-", 0) == 0);
    const std::string text = read_all(files[0]);
    CHECK(text.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(only_crlf(text));
    auto t = read_table(text);
    CHECK(t.header == std::vector<std::string>{"participant", "trn", "event_date", "programme", "course", "evidence_held",
                                               "caught_up_on", "record_id", "version", "correction", "batch_id",
                                               "idempotency_key"});
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0].at("participant") == "'" + hostile_name + " Smith");
    CHECK(t.rows[0].at("trn") == "0012345");
    CHECK(t.rows[0].at("event_date") == "2025-10-14");
    CHECK(t.rows[0].at("programme") == "ECF year 1");
    CHECK(t.rows[0].at("course") == "Conference 2");
    CHECK(t.rows[0].at("evidence_held") == "Training event attended");
    CHECK(t.rows[0].at("caught_up_on").empty());
    CHECK(t.rows[1].at("evidence_held") == "Caught up");
    CHECK(t.rows[1].at("caught_up_on") == "2025-10-21");
    CHECK(t.rows[2].at("evidence_held") == "None");
    CHECK(t.rows[2].at("trn").empty());
    CHECK(t.rows[2].at("correction") == "yes");
    CHECK(t.rows[0].at("record_id") == a.record_id);
    CHECK(t.rows[0].at("batch_id") == t.rows[2].at("batch_id"));
    CHECK(files[0].filename().string().find(t.rows[0].at("batch_id")) != std::string::npos);
}

TEST_CASE("a payload that cannot be read is rejected alone and the rest are written", "[central][files]") {
    test::TempDir dir;
    auto target = central::make_csv_target(target_config("crm", store::TargetKind::csv, dir.path()));
    auto good1 = item("crm", 1, record("0190a1b2-0000-7000-8000-0000000000d1", 5, 1));
    auto bad = item("crm", 2, record("0190a1b2-0000-7000-8000-0000000000d2", 5, 1));
    bad.payload = "{\"record_id\": \"0190a1b2\", \"first_name\": \"Zed\"";
    auto good2 = item("crm", 3, record("0190a1b2-0000-7000-8000-0000000000d3", 5, 1));

    auto outcomes = target->deliver(std::vector<DeliveryItem>{good1, bad, good2});

    REQUIRE(outcomes.size() == 3);
    CHECK(outcomes[0].kind == Kind::delivered);
    CHECK(outcomes[1].kind == Kind::rejected);
    CHECK_FALSE(outcomes[1].error.empty());
    CHECK(outcomes[1].error.find("Zed") == std::string::npos);
    CHECK_FALSE(outcomes[1].remote_id);
    CHECK(outcomes[2].kind == Kind::delivered);
    auto files = final_files(dir.path());
    REQUIRE(files.size() == 1);
    auto t = read_table(read_all(files[0]));
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0].at("record_id") == good1.record_id);
    CHECK(t.rows[1].at("record_id") == good2.record_id);

    SECTION("a batch of nothing readable writes no file") {
        auto only_bad = target->deliver(std::vector<DeliveryItem>{bad});
        CHECK(only_bad.at(0).kind == Kind::rejected);
        CHECK(final_files(dir.path()).size() == 1);
    }
}

TEST_CASE("a folder that goes away makes every item a retry and leaves no file", "[central][files]") {
    test::TempDir dir;
    auto folder = dir.path() / "outgoing";
    std::filesystem::create_directory(folder);
    auto target = central::make_evidence_csv_target(target_config("lp", store::TargetKind::evidence_csv, folder));
    auto r = record("0190a1b2-0000-7000-8000-0000000000f1", 9, 1);
    r.last_name = "Featherstonehaugh";
    std::vector<DeliveryItem> batch = {item("lp", 1, r), item("lp", 2, record("0190a1b2-0000-7000-8000-0000000000f2", 9, 1))};
    std::filesystem::remove_all(folder);

    auto outcomes = target->deliver(batch);

    REQUIRE(outcomes.size() == 2);
    for (const auto& o : outcomes) {
        CHECK(o.kind == Kind::retry);
        CHECK_FALSE(o.error.empty());
        CHECK(o.error.find("Featherstonehaugh") == std::string::npos);
        CHECK(o.error.find("0012345") == std::string::npos);
        CHECK_FALSE(o.remote_id);
    }
    // Back again (a remounted share): the same target writes the next try.
    std::filesystem::create_directory(folder);
    auto again = target->deliver(batch);
    CHECK(again.at(0).kind == Kind::delivered);
    CHECK(again.at(1).kind == Kind::delivered);
    CHECK(final_files(folder).size() == 1);
}

TEST_CASE("a file target is refused at start when its folder cannot take files", "[central][files]") {
    test::TempDir dir;
    CHECK_THROWS_AS(central::make_csv_target(target_config("crm", store::TargetKind::csv, dir.path() / "missing")), ConfigError);
    std::ofstream(dir.file("plain-file")) << "x";
    CHECK_THROWS_AS(central::make_evidence_csv_target(target_config("lp", store::TargetKind::evidence_csv, dir.path() / "plain-file")),
                    ConfigError);
    CHECK_THROWS_WITH(central::make_csv_target(target_config("crm", store::TargetKind::csv, dir.path() / "missing")),
                      Catch::Contains("crm") && Catch::Contains("missing"));
    // The check leaves nothing behind in a folder it accepts.
    central::make_csv_target(target_config("crm", store::TargetKind::csv, dir.path()));
    CHECK(final_files(dir.path()).size() == 1);  // plain-file only
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
}
