// The upload's `satisfaction` field (docs/api.md, "Upload"): answers go out and come back
// whole, an older device's upload without the field reads as no answers, and a value no
// kiosk makes is refused naming the field. What the JSON carries of an answer is only the
// answer: no device, participant, badge or check-in (docs/satisfaction.md).
#include "muster/sync/sync_messages.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>

using namespace muster;

namespace {

sync::UploadBatch batch_with_answers() {
    sync::UploadBatch b;
    b.device_time_ms = 1'795'360'000'000;
    sync::SatisfactionAnswer a;
    a.uuid = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab";
    a.event_id = 7;
    a.session_id = 12;
    a.answer = SatisfactionAnswerKind::not_sure;
    a.answered_hour_ms = 498'711 * 3'600'000LL;
    b.satisfaction.push_back(a);
    a.uuid = "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
    a.session_id.reset();
    a.answer = SatisfactionAnswerKind::disagree;
    b.satisfaction.push_back(a);
    return b;
}

std::string upload_with_answer(const std::string& answer_fields) {
    return R"({"device_time_ms": 1, "check_ins": [], "corrections": [], "satisfaction": [{"uuid": "u-1", "event_id": 7, )" +
           answer_fields + "}]}";
}

std::string refusal(const std::string& body) {
    try {
        sync::parse_upload_batch(body);
    } catch (const sync::ProtocolError& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST_CASE("Satisfaction answers in an upload survive the JSON round trip", "[satisfaction][json]") {
    auto sent = batch_with_answers();
    auto got = sync::parse_upload_batch(sync::to_json(sent));
    REQUIRE(got.satisfaction.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(got.satisfaction[i].uuid == sent.satisfaction[i].uuid);
        CHECK(got.satisfaction[i].event_id == sent.satisfaction[i].event_id);
        CHECK(got.satisfaction[i].session_id == sent.satisfaction[i].session_id);
        CHECK(got.satisfaction[i].answer == sent.satisfaction[i].answer);
        CHECK(got.satisfaction[i].answered_hour_ms == sent.satisfaction[i].answered_hour_ms);
    }
    CHECK_FALSE(got.satisfaction[1].session_id);
}

TEST_CASE("An answer in the JSON carries exactly its five fields and nothing that names a person or device", "[satisfaction][json][privacy]") {
    auto v = boost::json::parse(sync::to_json(batch_with_answers()));
    const auto& answer = v.at("satisfaction").as_array().at(0).as_object();
    std::vector<std::string> keys;
    for (const auto& kv : answer) keys.emplace_back(kv.key());
    std::sort(keys.begin(), keys.end());
    CHECK(keys == std::vector<std::string>{"answer", "answered_hour_ms", "event_id", "session_id", "uuid"});
    CHECK(answer.at("answer").as_string() == "not_sure");
}

TEST_CASE("An upload without the satisfaction field reads as no answers", "[satisfaction][json]") {
    auto b = sync::parse_upload_batch(R"({"device_time_ms": 5, "check_ins": [], "corrections": []})");
    CHECK(b.satisfaction.empty());
    CHECK(b.device_time_ms == 5);
}

TEST_CASE("A bad answer value or a time that is not a whole hour is refused naming the field", "[satisfaction][json]") {
    CHECK(refusal(upload_with_answer(R"("answer": "agree", "answered_hour_ms": 7200000)")) == "accepted");
    CHECK(refusal(upload_with_answer(R"("answer": "strongly_agree", "answered_hour_ms": 7200000)")) ==
          "satisfaction[0].answer: unknown value");
    CHECK(refusal(upload_with_answer(R"("answer": "agree", "answered_hour_ms": 7200001)")) ==
          "satisfaction[0].answered_hour_ms: expected a whole hour in milliseconds");
    CHECK(refusal(upload_with_answer(R"("answer": "agree", "answered_hour_ms": -3600000)")) ==
          "satisfaction[0].answered_hour_ms: expected a whole hour in milliseconds");
    CHECK(refusal(upload_with_answer(R"("answer": "agree")")) == "satisfaction[0].answered_hour_ms: expected an integer");
    CHECK(refusal(R"({"device_time_ms": 1, "check_ins": [], "corrections": [], "satisfaction": {}})") ==
          "satisfaction: expected an array");
}
