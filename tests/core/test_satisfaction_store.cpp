// The hub's side of the satisfaction question (muster/store/satisfaction_store.hpp): storing
// uploaded answers idempotently by uuid, the figure per event against the alliance's 90 %,
// and a schema that cannot join an answer back to a person (docs/satisfaction.md).
#include "test_hub.hpp"

#include "muster/store/satisfaction_store.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <set>

using namespace muster;
using store::AnswerIntake;

namespace {

constexpr TimeMs hour = store::satisfaction_hour_ms;

std::string answer_uuid(int n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-9000-%012d", n);
    return buf;
}

struct AnswerHub {
    test::TestHub hub;
    db::Database& db = *hub.db;
    EventId event = hub.event;
    SessionId morning = hub.loaded.sessions.at(0).id;
    int made = 0;

    sync::SatisfactionAnswer answer(SatisfactionAnswerKind kind, std::optional<SessionId> session = std::nullopt,
                                    std::optional<EventId> ev = std::nullopt) {
        sync::SatisfactionAnswer a;
        a.uuid = answer_uuid(++made);
        a.event_id = ev.value_or(event);
        a.session_id = session;
        a.answer = kind;
        a.answered_hour_ms = 482'000 * hour;
        return a;
    }
    void give(int n, SatisfactionAnswerKind kind, std::optional<EventId> ev = std::nullopt) {
        // This event's answers in its morning session; another event's between sessions.
        std::optional<SessionId> session = ev ? std::nullopt : std::optional<SessionId>(morning);
        for (int i = 0; i < n; ++i) REQUIRE(store::store_satisfaction_answer(db, answer(kind, session, ev)) == AnswerIntake::stored);
    }
    std::int64_t count(const std::string& sql) {
        auto s = db.prepare(sql);
        s.step();
        return s.int64(0);
    }
};

}  // namespace

TEST_CASE("An uploaded answer is stored once and the same uuid again is already stored", "[satisfaction][engines]") {
    AnswerHub h;
    auto a = h.answer(SatisfactionAnswerKind::agree, h.morning);
    CHECK(store::store_satisfaction_answer(h.db, a) == AnswerIntake::stored);
    CHECK(store::store_satisfaction_answer(h.db, a) == AnswerIntake::already);
    CHECK(h.count("SELECT COUNT(*) FROM satisfaction_answers") == 1);

    SECTION("other content under the same uuid is a conflict and changes nothing") {
        auto other = a;
        other.answer = SatisfactionAnswerKind::disagree;
        CHECK(store::store_satisfaction_answer(h.db, other) == AnswerIntake::conflict);
        other = a;
        other.answered_hour_ms += hour;
        CHECK(store::store_satisfaction_answer(h.db, other) == AnswerIntake::conflict);
        other = a;
        other.session_id.reset();
        CHECK(store::store_satisfaction_answer(h.db, other) == AnswerIntake::conflict);
        CHECK(h.count("SELECT COUNT(*) FROM satisfaction_answers WHERE answer = 'agree'") == 1);
        CHECK(h.count("SELECT COUNT(*) FROM satisfaction_answers") == 1);
    }
}

TEST_CASE("An answer with a session of another event or a time within the hour is invalid", "[satisfaction][engines]") {
    AnswerHub h;
    auto other_event = store::create_event(h.db, {"ect-y1", "conference-2", 2025, "2025-11-20", "Elsewhere", 0, 10});
    auto other_session = store::load_event(h.db, other_event)->sessions.at(0).id;
    CHECK(store::store_satisfaction_answer(h.db, h.answer(SatisfactionAnswerKind::agree, other_session)) == AnswerIntake::invalid);
    CHECK(store::store_satisfaction_answer(h.db, h.answer(SatisfactionAnswerKind::agree, 999'999)) == AnswerIntake::invalid);
    CHECK(store::store_satisfaction_answer(h.db, h.answer(SatisfactionAnswerKind::agree, std::nullopt, 999'999)) ==
          AnswerIntake::invalid);
    auto a = h.answer(SatisfactionAnswerKind::agree);
    a.answered_hour_ms += 60'000;
    CHECK(store::store_satisfaction_answer(h.db, a) == AnswerIntake::invalid);
    CHECK(h.count("SELECT COUNT(*) FROM satisfaction_answers") == 0);
    // Without a session (a check-out between sessions) it is stored.
    CHECK(store::store_satisfaction_answer(h.db, h.answer(SatisfactionAnswerKind::not_sure)) == AnswerIntake::stored);
}

TEST_CASE("The figure counts agree against all answers and meets the target at 90 percent or more", "[satisfaction][engines]") {
    AnswerHub h;
    SECTION("no answers: zero counts, no share, not met") {
        auto f = store::satisfaction_for_event(h.db, h.event);
        REQUIRE(f);
        CHECK(f->answers() == 0);
        CHECK_FALSE(f->agree_share());
        CHECK_FALSE(f->meets_target());
        CHECK(f->title == h.hub.loaded.title);
        CHECK(f->local_date == h.hub.loaded.local_date);
        CHECK(store::satisfaction_by_event(h.db).empty());  // only events with answers are listed
    }
    SECTION("exactly 90 percent meets it") {
        h.give(9, SatisfactionAnswerKind::agree);
        h.give(1, SatisfactionAnswerKind::disagree);
        auto f = *store::satisfaction_for_event(h.db, h.event);
        CHECK(f.agree == 9);
        CHECK(f.disagree == 1);
        CHECK(f.answers() == 10);
        CHECK(*f.agree_share() == Approx(0.9));
        CHECK(f.meets_target());
    }
    SECTION("not sure counts as not agreeing: 89 of 100 misses it") {
        h.give(89, SatisfactionAnswerKind::agree);
        h.give(11, SatisfactionAnswerKind::not_sure);
        auto f = *store::satisfaction_for_event(h.db, h.event);
        CHECK(f.not_sure == 11);
        CHECK(f.answers() == 100);
        CHECK_FALSE(f.meets_target());
    }
    SECTION("every answer agree meets it") {
        h.give(3, SatisfactionAnswerKind::agree);
        CHECK(store::satisfaction_for_event(h.db, h.event)->meets_target());
    }
    SECTION("no such event") { CHECK_FALSE(store::satisfaction_for_event(h.db, 999'999)); }
}

TEST_CASE("Figures by event list each event with answers newest first with its own counts", "[satisfaction][engines]") {
    AnswerHub h;
    auto later = store::create_event(h.db, {"ect-y1", "conference-2", 2025, "2099-06-30", "Elsewhere", 0, 10});
    auto earlier = store::create_event(h.db, {"ect-y1", "clinic-1", 2025, "2000-01-10", "Elsewhere", 0, 10});
    (void)earlier;  // no answers: not listed
    h.give(2, SatisfactionAnswerKind::agree);
    h.give(1, SatisfactionAnswerKind::disagree, later);
    auto all = store::satisfaction_by_event(h.db);
    REQUIRE(all.size() == 2);
    CHECK(all[0].event_id == later);
    CHECK(all[0].local_date == "2099-06-30");
    CHECK(all[0].disagree == 1);
    CHECK(all[0].agree == 0);
    CHECK(all[1].event_id == h.event);
    CHECK(all[1].agree == 2);
    CHECK(all[1].meets_target());
    CHECK_FALSE(all[0].meets_target());
}

TEST_CASE("The answers table holds no identity and no order and nothing ties it to check-ins", "[satisfaction][privacy][engines]") {
    AnswerHub h;
    const std::vector<std::string> expected_columns{"uuid", "event_id", "session_id", "answer", "answered_hour_ms"};
    std::vector<std::string> columns;
    std::set<std::string> index_columns;
    if (h.hub.database.on_postgresql()) {
        // The same facts from PostgreSQL's catalog. Its heap keeps insertion order (there is no
        // WITHOUT ROWID): the store reads answers by event and counts them, never in storage
        // order (docs/scale.md, "Satisfaction answers on PostgreSQL").
        h.db.prepare("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND "
                     "table_name = 'satisfaction_answers' ORDER BY ordinal_position")
            .for_each_row([&](const db::Statement& r) { columns.push_back(r.text(0)); });
        h.db.prepare("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND "
                     "a.attnum = ANY (i.indkey) WHERE i.indrelid = 'satisfaction_answers'::regclass")
            .for_each_row([&](const db::Statement& r) { index_columns.insert(r.text(0)); });
        CHECK(h.count("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                      "('satisfaction_answers'::regclass, 'check_ins'::regclass)") == 0);
        CHECK(h.count("SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'check_ins' AND indexdef LIKE '%satisfaction%'") == 0);
        CHECK(h.count("SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND "
                      "conrelid = 'satisfaction_answers'::regclass") == 0);
    } else {
        h.db.prepare("PRAGMA table_info(satisfaction_answers)").for_each_row([&](const db::Statement& r) {
            columns.push_back(r.text(1));
        });
        // WITHOUT ROWID: there is no insertion order to read back.
        CHECK_THROWS_AS(h.db.prepare("SELECT rowid FROM satisfaction_answers"), db::Error);

        // No index on it names a check-in column, no trigger touches it or check_ins with it,
        // and no foreign key leads from it to anything about a person.
        h.db.prepare("SELECT name FROM pragma_index_list('satisfaction_answers')").for_each_row([&](const db::Statement& r) {
            auto s = h.db.prepare("SELECT name FROM pragma_index_info(?1)");
            s.bind(1, r.text(0));
            s.for_each_row([&](const db::Statement& c) {
                if (!c.is_null(0)) index_columns.insert(c.text(0));
            });
        });
        CHECK(h.count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND "
                      "(tbl_name = 'satisfaction_answers' OR sql LIKE '%satisfaction_answers%')") == 0);
        CHECK(h.count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'check_ins' AND "
                      "sql LIKE '%satisfaction%'") == 0);
        CHECK(h.count("SELECT COUNT(*) FROM pragma_foreign_key_list('satisfaction_answers')") == 0);
    }
    CHECK(columns == expected_columns);
    REQUIRE_FALSE(index_columns.empty());
    for (const auto& c : index_columns) CHECK((c == "uuid" || c == "event_id"));

    // What is stored is the answer and nothing else: no device id anywhere in its row.
    auto a = h.answer(SatisfactionAnswerKind::agree, h.morning);
    REQUIRE(store::store_satisfaction_answer(h.db, a) == AnswerIntake::stored);
    auto s = h.db.prepare("SELECT uuid, event_id, session_id, answer, answered_hour_ms FROM satisfaction_answers");
    REQUIRE(s.step());
    CHECK(s.text(0) == a.uuid);
    CHECK(s.int64(1) == h.event);
    CHECK(s.int64(2) == h.morning);
    CHECK(s.text(3) == "agree");
    CHECK(s.int64(4) % hour == 0);
}
