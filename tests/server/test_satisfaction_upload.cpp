// Answers to the satisfaction question uploaded to the real muster-sync-server (docs/api.md,
// "Upload"; docs/satisfaction.md): stored in the upload's transaction and acked by uuid like
// the records, refused with a code when no honest exit kiosk of that device could have sent
// them, and stored with nothing of the device that sent them.
#include "http_probe.hpp"
#include "log_lines.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdio>

using namespace muster;
using namespace muster::test;
using sync::RejectionCode;

namespace {

std::string answer_uuid(int n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "5a7e0000-0000-4000-8000-%012d", n);
    return buf;
}

struct AnswerHub : RunningHub {
    SessionId session = hub.count("SELECT id FROM sessions WHERE event_id = 1 ORDER BY starts_ms LIMIT 1");
    SessionId other_event_session = hub.count("SELECT id FROM sessions WHERE event_id = 2 LIMIT 1");
    int made = 0;

    sync::SatisfactionAnswer answer(SatisfactionAnswerKind kind = SatisfactionAnswerKind::agree, EventId event = 1) {
        sync::SatisfactionAnswer a;
        a.uuid = answer_uuid(++made);
        a.event_id = event;
        a.session_id = event == 1 ? std::optional<SessionId>(session) : std::nullopt;
        a.answer = kind;
        a.answered_hour_ms = uk_time::now_ms() / 3'600'000 * 3'600'000;
        return a;
    }
    sync::UploadReply upload(std::vector<sync::SatisfactionAnswer> answers, std::vector<CheckIn> check_ins = {},
                             const std::string& device = "entrance-1") {
        sync::UploadBatch b;
        b.device_time_ms = uk_time::now_ms();
        b.check_ins = std::move(check_ins);
        b.satisfaction = std::move(answers);
        auto r = signed_request(port(), "POST", "/v1/upload", sync::to_json(b), hub.as(device));
        if (r.status != 200) throw std::runtime_error("upload answered " + std::to_string(r.status) + ": " + r.body);
        return sync::parse_upload_reply(r.body);
    }
    std::int64_t answers() const { return hub.count("SELECT COUNT(*) FROM satisfaction_answers"); }
};

}  // namespace

TEST_CASE("A signed upload with answers is acked and the hub stores each answer once", "[server][satisfaction]") {
    AnswerHub h;
    auto agree = h.answer(SatisfactionAnswerKind::agree);
    auto unsure = h.answer(SatisfactionAnswerKind::not_sure);
    auto scan = make_check_in("entrance-1", 1);
    auto reply = h.upload({agree, unsure}, {scan});
    CHECK(reply.rejected.empty());
    CHECK(reply.acked == std::vector<std::string>{scan.uuid, agree.uuid, unsure.uuid});
    CHECK(h.answers() == 2);
    CHECK(h.hub.count("SELECT COUNT(*) FROM satisfaction_answers WHERE uuid = '" + agree.uuid +
                      "' AND event_id = 1 AND answer = 'agree' AND session_id = " + std::to_string(h.session)) == 1);

    // A retry after a lost reply is acked again, not stored twice.
    auto again = h.upload({agree, unsure});
    CHECK(again.acked == std::vector<std::string>{agree.uuid, unsure.uuid});
    CHECK(h.answers() == 2);

    // The hub's row holds the answer and nothing of the device: no column could hold it,
    // and no value in the row is the device's id.
    db::Database d(h.hub.hub + "/hub.db", db::OpenMode::read_only);
    auto s = d.prepare("SELECT quote(uuid)||quote(event_id)||quote(session_id)||quote(answer)||quote(answered_hour_ms) "
                       "FROM satisfaction_answers");
    s.for_each_row([&](const db::Statement& r) { CHECK(r.text(0).find("entrance-1") == std::string::npos); });
    CHECK(h.hub.count("SELECT COUNT(*) FROM pragma_table_info('satisfaction_answers') WHERE name LIKE '%device%'") == 0);

    // The log says how many answers came, never which.
    auto logged = wait_for_log(
        h.hub.log(), "upload",
        [](const boost::json::object& line) { return line.contains("answers") && line.at("answers").to_number<int>() == 2; },
        std::chrono::seconds(10));
    REQUIRE(logged);
    for (const auto& line : log_lines(h.hub.log())) {
        auto text = boost::json::serialize(line);
        CHECK(text.find(agree.uuid) == std::string::npos);
        CHECK(text.find(unsure.uuid) == std::string::npos);
    }
}

TEST_CASE("An answer no honest kiosk of the device could send is refused with its code and nothing is stored", "[server][satisfaction]") {
    AnswerHub h;
    SECTION("another event's answer: wrong_event") {
        auto a = h.answer(SatisfactionAnswerKind::agree, 2);
        auto reply = h.upload({a});
        CHECK(reply.acked.empty());
        REQUIRE(reply.rejected.size() == 1);
        CHECK(reply.rejected[0].uuid == a.uuid);
        CHECK(reply.rejected[0].code == RejectionCode::wrong_event);
    }
    SECTION("a session of another event: unknown_session") {
        auto a = h.answer();
        a.session_id = h.other_event_session;
        auto reply = h.upload({a});
        REQUIRE(reply.rejected.size() == 1);
        CHECK(reply.rejected[0].code == RejectionCode::unknown_session);
    }
    SECTION("a stored uuid with another answer: conflict, and the stored one is kept") {
        auto a = h.answer(SatisfactionAnswerKind::agree);
        REQUIRE(h.upload({a}).acked.size() == 1);
        a.answer = SatisfactionAnswerKind::disagree;
        auto reply = h.upload({a});
        CHECK(reply.acked.empty());
        REQUIRE(reply.rejected.size() == 1);
        CHECK(reply.rejected[0].code == RejectionCode::conflict);
        CHECK(h.hub.count("SELECT COUNT(*) FROM satisfaction_answers WHERE answer = 'agree'") == 1);
        CHECK(h.answers() == 1);
        return;
    }
    CHECK(h.answers() == 0);
}

TEST_CASE("A refused answer does not hold back the rest of its batch", "[server][satisfaction]") {
    AnswerHub h;
    auto good = h.answer(SatisfactionAnswerKind::disagree);
    auto bad = h.answer(SatisfactionAnswerKind::agree, 2);
    auto reply = h.upload({bad, good}, {}, "room-1");
    CHECK(reply.acked == std::vector<std::string>{good.uuid});
    REQUIRE(reply.rejected.size() == 1);
    CHECK(reply.rejected[0].uuid == bad.uuid);
    CHECK(h.hub.count("SELECT COUNT(*) FROM satisfaction_answers WHERE event_id = 1 AND answer = 'disagree'") == 1);
    CHECK(h.answers() == 1);
}
