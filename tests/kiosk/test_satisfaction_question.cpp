// The satisfaction question at an exit kiosk, in the model without a window: asked after a
// check-out, answered by tap or key, skipped or timed out with nothing stored, dismissed by
// the next scan (which is handled), never asked at an entry kiosk or when the device file
// turns it off; and an answer stored with its event and session only.
#include "kiosk_fixture.hpp"
#include "kiosk_model.hpp"

#include "muster/store/satisfaction_store.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace muster;
using namespace muster::kiosk;

namespace {

DeviceConfig exit_kiosk(const test::DemoHub& hub, bool ask = true) {
    auto c = load_device_config(hub.entrance());
    c.direction = Direction::exit;
    c.satisfaction_question = ask;
    return c;
}

struct StoredAnswer {
    std::string uuid;
    EventId event_id = 0;
    std::optional<SessionId> session_id;
    std::string answer;
    TimeMs hour = 0;
};

std::vector<StoredAnswer> stored(db::Database& db) {
    return db.prepare("SELECT uuid, event_id, session_id, answer, answered_hour_ms FROM satisfaction_answers")
        .query_all([](const db::Statement& r) {
            return StoredAnswer{r.text(0), r.int64(1), r.opt_int64(2), r.text(3), r.int64(4)};
        });
}

// Checks a participant out, then lets the goodbye show until the question is asked.
KioskModel::Clock::time_point check_out_and_ask(KioskModel& model, ScanQueue& queue, const std::string& token,
                                                KioskModel::Clock::time_point t) {
    queue.on_scan(RawScan{InputKind::wedge, token, "", t});
    model.tick(t);
    REQUIRE(model.last_result());
    REQUIRE(model.last_result()->decision.outcome == Outcome::checked_out);
    CHECK(model.screen() == Screen::result);  // the goodbye first
    model.tick(t + KioskModel::goodbye_time + 10ms);
    CHECK(model.screen() == Screen::question);
    return t + KioskModel::goodbye_time + 10ms;
}

}  // namespace

TEST_CASE("satisfaction: a check-out at an exit kiosk is followed by the question, and a tap stores the answer", "[kiosk][satisfaction]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(exit_kiosk(hub), queue);
    REQUIRE(model.asks_question());
    auto t = check_out_and_ask(model, queue, hub.token(1), KioskModel::Clock::now());
    CHECK_FALSE(model.question_highlight());  // nothing chosen for them
    CHECK(stored(model.station().database()).empty());

    TimeMs before = uk_time::now_ms();
    model.answer_question(SatisfactionAnswerKind::not_sure);
    model.tick(t + 100ms);
    TimeMs after = uk_time::now_ms();
    CHECK(model.screen() == Screen::thanks);
    auto rows = stored(model.station().database());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].event_id == model.station().event().id);
    CHECK(rows[0].session_id == model.station().desk().setup().session_id);
    CHECK(rows[0].answer == "not_sure");
    CHECK(rows[0].hour % store::satisfaction_hour_ms == 0);
    CHECK(rows[0].hour <= before);
    CHECK(after - rows[0].hour < store::satisfaction_hour_ms);
    CHECK(rows[0].uuid != model.last_result()->record.uuid);  // not the check-out's uuid
    // Waiting for the hub like the records (the scan's own outbox is untouched by it).
    CHECK(store::pending_satisfaction_answers(model.station().database(), 10).size() == 1);

    model.tick(t + 100ms + KioskModel::thanks_time + 10ms);
    CHECK(model.screen() == Screen::ready);
    // One question per check-out: nothing more is asked, and the next check-out asks again.
    model.tick(t + 30s);
    CHECK(model.screen() == Screen::ready);
    auto t2 = check_out_and_ask(model, queue, hub.token(3), t + 31s);
    model.answer_question(SatisfactionAnswerKind::agree);
    model.tick(t2 + 10ms);
    CHECK(stored(model.station().database()).size() == 2);
}

TEST_CASE("satisfaction: keys 1 2 3 answer, arrows and Enter choose, a scanner's burst does not answer", "[kiosk][satisfaction][keys]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(exit_kiosk(hub), queue);
    auto answers = [&] { return stored(model.station().database()); };

    SECTION("a lone 3 is Disagree, taken once the scanner's gap has passed") {
        auto t = check_out_and_ask(model, queue, hub.token(1), KioskModel::Clock::now());
        model.question_key(QuestionKey::disagree, t + 1s);
        model.tick(t + 1s + 10ms);
        CHECK(model.screen() == Screen::question);  // still inside the gap: could be a scanner
        model.tick(t + 1s + 50ms);
        CHECK(model.screen() == Screen::thanks);
        REQUIRE(answers().size() == 1);
        CHECK(answers()[0].answer == "disagree");
    }
    SECTION("arrows move the highlight and Enter answers it, Enter alone does nothing") {
        auto t = check_out_and_ask(model, queue, hub.token(1), KioskModel::Clock::now());
        model.question_key(QuestionKey::choose, t + 1s);
        model.tick(t + 2s);
        CHECK(model.screen() == Screen::question);  // nothing highlighted: not an answer
        model.question_key(QuestionKey::next, t + 3s);
        CHECK(model.question_highlight() == SatisfactionAnswerKind::agree);
        model.question_key(QuestionKey::next, t + 4s);
        CHECK(model.question_highlight() == SatisfactionAnswerKind::not_sure);
        model.question_key(QuestionKey::previous, t + 5s);
        model.question_key(QuestionKey::previous, t + 6s);
        CHECK(model.question_highlight() == SatisfactionAnswerKind::disagree);  // round the end
        model.question_key(QuestionKey::choose, t + 7s);
        model.tick(t + 7s + 100ms);
        CHECK(model.screen() == Screen::thanks);
        REQUIRE(answers().size() == 1);
        CHECK(answers()[0].answer == "disagree");
    }
    SECTION("a badge typed by the wedge scanner (M1:...) is not an answer, and is handled as a scan") {
        auto t = check_out_and_ask(model, queue, hub.token(1), KioskModel::Clock::now());
        auto k = t + 1s;
        for (char c : hub.token(7)) {
            model.question_key(c == '1' ? QuestionKey::agree : c == '2' ? QuestionKey::not_sure : QuestionKey::other, k += 3ms);
            model.tick(k);
        }
        model.question_key(QuestionKey::choose, k += 3ms);  // the scanner's Enter
        queue.on_scan(RawScan{InputKind::wedge, hub.token(7), "", k});
        model.tick(k + 100ms);
        CHECK(answers().empty());
        CHECK(model.last_result()->record.participant_id == 7);
        CHECK(model.screen() == Screen::result);
    }
}

TEST_CASE("satisfaction: skipped with Esc or by waiting, nothing is stored", "[kiosk][satisfaction]") {
    test::DemoHub hub;
    ScanQueue queue;
    auto config = exit_kiosk(hub);
    config.satisfaction_timeout_s = 5;
    KioskModel model(config, queue);

    auto t = check_out_and_ask(model, queue, hub.token(1), KioskModel::Clock::now());
    model.question_key(QuestionKey::skip, t + 1s);
    model.tick(t + 1s);
    CHECK(model.screen() == Screen::ready);

    t = check_out_and_ask(model, queue, hub.token(6), t + 10s);
    model.skip_question();  // the Skip button
    model.tick(t + 10ms);
    CHECK(model.screen() == Screen::ready);

    t = check_out_and_ask(model, queue, hub.token(3), t + 10s);
    model.tick(t + 4s);
    CHECK(model.screen() == Screen::question);
    model.question_key(QuestionKey::next, t + 4s);  // someone is choosing: the time starts again
    model.tick(t + 8s);
    CHECK(model.screen() == Screen::question);
    model.tick(t + 9s + 10ms);
    CHECK(model.screen() == Screen::ready);  // timed out
    model.answer_question(SatisfactionAnswerKind::agree);  // too late: the question is gone
    model.tick(t + 10s);
    CHECK(stored(model.station().database()).empty());
}

TEST_CASE("satisfaction: a scan while the question is up is handled, and the question goes unanswered", "[kiosk][satisfaction]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(exit_kiosk(hub), queue);
    auto t = check_out_and_ask(model, queue, hub.token(1), KioskModel::Clock::now());
    auto shown = model.results_shown();
    queue.on_scan(RawScan{InputKind::camera, hub.token(4), "", t + 1s});
    model.tick(t + 1s);
    CHECK(model.results_shown() == shown + 1);
    REQUIRE(model.last_result());
    CHECK(model.last_result()->record.participant_id == 4);
    CHECK(model.last_result()->decision.outcome == Outcome::checked_out);
    CHECK(model.screen() == Screen::result);
    model.answer_question(SatisfactionAnswerKind::agree);  // the old question cannot be answered now
    model.tick(t + 1s + 10ms);
    CHECK(stored(model.station().database()).empty());
    // The new check-out gets its own question.
    model.tick(t + 1s + KioskModel::goodbye_time + 20ms);
    CHECK(model.screen() == Screen::question);

    // During the thank-you too.
    model.answer_question(SatisfactionAnswerKind::agree);
    model.tick(t + 3s);
    REQUIRE(model.screen() == Screen::thanks);
    queue.on_scan(RawScan{InputKind::camera, "NOT-A-BADGE", "", t + 3s});
    model.tick(t + 3s + 10ms);
    CHECK(model.screen() == Screen::result);
    CHECK(model.last_result()->decision.outcome == Outcome::invalid_badge);
    model.tick(t + 3s + KioskModel::goodbye_time + 20ms);
    CHECK(model.screen() == Screen::result);  // not a check-out: no question
    CHECK(stored(model.station().database()).size() == 1);
}

TEST_CASE("satisfaction: an entry kiosk never asks, nor an exit kiosk whose file turns it off, nor after a refusal", "[kiosk][satisfaction]") {
    test::DemoHub hub;
    auto never_asks = [&](KioskModel& model, ScanQueue& queue, const std::string& token) {
        auto t = KioskModel::Clock::now();
        queue.on_scan(RawScan{InputKind::wedge, token, "", t});
        model.tick(t);
        for (std::chrono::milliseconds step : {KioskModel::goodbye_time + 10ms, std::chrono::milliseconds(3s), KioskModel::result_time + 10ms}) {
            model.tick(t + step);
            CHECK(model.screen() != Screen::question);
        }
        CHECK(model.screen() == Screen::ready);
        CHECK(stored(model.station().database()).empty());
    };
    {
        ScanQueue queue;
        KioskModel entry(load_device_config(hub.entrance()), queue);
        CHECK_FALSE(entry.asks_question());
        never_asks(entry, queue, hub.token(1));
        CHECK(entry.last_result()->decision.outcome == Outcome::checked_in);
    }
    {
        ScanQueue queue;
        KioskModel off(exit_kiosk(hub, false), queue);
        CHECK_FALSE(off.asks_question());
        never_asks(off, queue, hub.token(6));
        CHECK(off.last_result()->decision.outcome == Outcome::checked_out);
    }
    {
        ScanQueue queue;
        KioskModel exit(exit_kiosk(hub), queue);
        never_asks(exit, queue, hub.token(3).substr(0, 40));  // a torn badge: refused
        CHECK(tone_of(exit.last_result()->decision.outcome) == Tone::refused);
    }
}

TEST_CASE("satisfaction: staff switching an entry kiosk to check-out turns the question on", "[kiosk][satisfaction][staff]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(load_device_config(hub.entrance()), queue);
    CHECK_FALSE(model.asks_question());
    model.toggle_direction();
    CHECK(model.asks_question());
    check_out_and_ask(model, queue, hub.token(5), KioskModel::Clock::now());
    model.toggle_direction();
    CHECK_FALSE(model.asks_question());
}
