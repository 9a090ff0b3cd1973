// The exit kiosk's satisfaction answers on a real SQLite device database (migration 0011):
// kept to the hour, random uuids, handed out in uuid order, forgotten by uuid, and a table
// with nothing in it that could name who answered.
#include "temp_dir.hpp"

#include "muster/store/satisfaction_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace muster;

namespace {

struct DeviceDb {
    test::TempDir dir;
    std::unique_ptr<db::Database> db = store::open_database(dir.file("device.db"));
};

std::size_t rows(db::Database& db) {
    auto s = db.prepare("SELECT count(*) FROM satisfaction_answers");
    s.step();
    return static_cast<std::size_t>(s.int64(0));
}

}  // namespace

TEST_CASE("an answer is stored with the hour it was given in, a random uuid, its event and session", "[satisfaction][store]") {
    DeviceDb d;
    const TimeMs at = uk_time::from_local({2026, 11, 30, 16, 47, 12}) + 345;  // 16:47:12.345
    auto a = store::record_satisfaction_answer(*d.db, 7, SessionId{3}, SatisfactionAnswerKind::agree, at);
    CHECK(a.answered_hour_ms == uk_time::from_local({2026, 11, 30, 16, 0, 0}));
    CHECK(a.answered_hour_ms % store::satisfaction_hour_ms == 0);
    CHECK(at - a.answered_hour_ms < store::satisfaction_hour_ms);
    CHECK(is_uuid(a.uuid));
    CHECK(a.uuid[14] == '4');  // version 4: no time in it (a v7 uuid starts with the ms clock)

    // Exactly on the hour stays that hour; a millisecond before is the hour before.
    auto on = store::record_satisfaction_answer(*d.db, 7, std::nullopt, SatisfactionAnswerKind::disagree, a.answered_hour_ms);
    CHECK(on.answered_hour_ms == a.answered_hour_ms);
    auto before = store::record_satisfaction_answer(*d.db, 7, SessionId{3}, SatisfactionAnswerKind::not_sure, a.answered_hour_ms - 1);
    CHECK(before.answered_hour_ms == a.answered_hour_ms - store::satisfaction_hour_ms);

    auto pending = store::pending_satisfaction_answers(*d.db, 10);
    REQUIRE(pending.size() == 3);
    auto stored = std::find_if(pending.begin(), pending.end(), [&](const auto& p) { return p.uuid == a.uuid; });
    REQUIRE(stored != pending.end());
    CHECK(stored->event_id == 7);
    CHECK(stored->session_id == SessionId{3});
    CHECK(stored->answer == SatisfactionAnswerKind::agree);
    CHECK(stored->answered_hour_ms == a.answered_hour_ms);
    auto no_session = std::find_if(pending.begin(), pending.end(), [&](const auto& p) { return p.uuid == on.uuid; });
    REQUIRE(no_session != pending.end());
    CHECK_FALSE(no_session->session_id);
    CHECK(no_session->answer == SatisfactionAnswerKind::disagree);
}

TEST_CASE("pending answers come in uuid order, up to the limit, and forgotten ones are gone", "[satisfaction][store]") {
    DeviceDb d;
    const TimeMs now = uk_time::now_ms();
    std::vector<std::string> made;
    for (int i = 0; i < 12; ++i)
        made.push_back(store::record_satisfaction_answer(*d.db, 1, SessionId{1}, SatisfactionAnswerKind::agree, now + i).uuid);
    CHECK(std::set<std::string>(made.begin(), made.end()).size() == 12);

    auto first = store::pending_satisfaction_answers(*d.db, 5);
    REQUIRE(first.size() == 5);
    std::vector<std::string> sorted = made;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < first.size(); ++i) CHECK(first[i].uuid == sorted[i]);  // not the order given

    std::vector<std::string> gone{sorted[0], sorted[3], "not-a-stored-uuid"};
    store::forget_satisfaction_answers(*d.db, gone);
    CHECK(rows(*d.db) == 10);
    auto left = store::pending_satisfaction_answers(*d.db, 100);
    REQUIRE(left.size() == 10);
    for (const auto& a : left) CHECK((a.uuid != sorted[0] && a.uuid != sorted[3]));
    store::forget_satisfaction_answers(*d.db, {});  // nothing to forget: nothing happens
    CHECK(rows(*d.db) == 10);
}

TEST_CASE("the answers table has no column that could name a person, badge, device or check-in", "[satisfaction][store][privacy]") {
    DeviceDb d;
    std::vector<std::string> columns;
    d.db->prepare("PRAGMA table_info(satisfaction_answers)").for_each_row([&](const db::Statement& r) {
        columns.push_back(r.text(1));
    });
    CHECK(columns == std::vector<std::string>{"uuid", "event_id", "session_id", "answer", "answered_hour_ms"});
    for (const auto& c : columns)
        for (const char* identity : {"participant", "person", "name", "badge", "token", "trn", "email", "device", "check_in",
                                     "checkin", "nfc", "seq", "record"})
            CHECK(c.find(identity) == std::string::npos);

    // WITHOUT ROWID: there is no hidden insertion counter to order answers by.
    store::record_satisfaction_answer(*d.db, 1, std::nullopt, SatisfactionAnswerKind::agree, uk_time::now_ms());
    CHECK_THROWS_AS(d.db->prepare("SELECT rowid FROM satisfaction_answers"), db::Error);
    bool without_rowid = false;
    d.db->prepare("SELECT sql FROM sqlite_schema WHERE name = 'satisfaction_answers'").for_each_row([&](const db::Statement& r) {
        without_rowid = r.text(0).find("WITHOUT ROWID") != std::string::npos;
    });
    CHECK(without_rowid);

    // The hour is enforced by the schema too, not only by the store.
    CHECK_THROWS_AS(d.db->exec("INSERT INTO satisfaction_answers VALUES "
                               "('00000000-0000-4000-8000-000000000001', 1, NULL, 'agree', 3600001)"),
                    db::Error);
}
