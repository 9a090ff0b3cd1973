// The stand-in CRM itself (muster-crm-stand-in): the chaos tests rely on it answering a key
// it has seen as a duplicate with the same id, across a SIGKILL and restart, and on each of
// its refusals happening when asked.
#include "crm_stand_in_process.hpp"
#include "http_probe.hpp"
#include "temp_dir.hpp"

#include <boost/json.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>

#include <fstream>

using namespace muster::test;
namespace json = boost::json;

namespace {

std::string batch(std::initializer_list<std::pair<const char*, const char*>> records) {  // key, last name
    json::array a;
    for (auto [key, last] : records)
        a.push_back({{"idempotency_key", key}, {"record_id", "r"}, {"version", 1}, {"correction", false}, {"last_name", last}});
    return json::serialize(json::object{{"batch_id", "b"}, {"records", a}});
}

const std::map<std::string, std::string> bearer{{"Authorization", "Bearer t0ken"}};

json::object result(const HttpReply& r, std::size_t i = 0) { return json::parse(r.body).at("results").at(i).as_object(); }

}  // namespace

TEST_CASE("The stand-in CRM stores a key once, answers it again as a duplicate, and keeps it across a SIGKILL",
          "[central][stand-in]") {
    TempDir dir;
    std::string store = dir.file("crm.jsonl");
    StandInProcess crm(store, {"--token", "t0ken"});
    auto first = http_request(crm.port(), "POST", "/api/attendance", batch({{"crm:a:1", "Ng"}, {"crm:b:1", "Li"}}), bearer);
    REQUIRE(first.status == 200);
    CHECK(result(first, 0).at("status") == "created");
    std::string id_a(result(first, 0).at("id").as_string());

    auto again = http_request(crm.port(), "POST", "/api/attendance", batch({{"crm:a:1", "Ng"}}), bearer);
    REQUIRE(again.status == 200);
    CHECK(result(again).at("status") == "duplicate");
    CHECK(result(again).at("id").as_string() == id_a);
    CHECK(http_request(crm.port(), "POST", "/api/attendance", batch({{"crm:c:1", "Ng"}})).status == 401);
    auto s = crm.stats();
    CHECK(s.records == 2);
    CHECK(s.duplicates == 1);
    CHECK(s.status[401] == 1);

    // Killed, with a torn line at the end as if killed mid-write: restarted on the same store,
    // it still knows both keys and cuts the torn line off.
    crm.kill_hard();
    std::ofstream(store, std::ios::app) << R"({"key":"crm:torn)";
    crm.restart();
    auto after = http_request(crm.port(), "POST", "/api/attendance", batch({{"crm:a:1", "Ng"}, {"crm:d:1", "Ng"}}), bearer);
    REQUIRE(after.status == 200);
    CHECK(result(after, 0).at("status") == "duplicate");
    CHECK(result(after, 0).at("id").as_string() == id_a);
    CHECK(result(after, 1).at("status") == "created");
    auto stored = read_stand_in_store(store);
    REQUIRE(stored.size() == 3);
    CHECK(stored[2].key == "crm:d:1");
}

TEST_CASE("The stand-in CRM refuses as its options say", "[central][stand-in]") {
    TempDir dir;
    std::string key_file = dir.file("hmac.key");
    std::ofstream(key_file) << "s3cret\n";
    StandInProcess crm(dir.file("crm.jsonl"), {"--hmac-key-file", key_file, "--throttle-every", "3", "--reject-last-name", "Bad"});
    auto signed_post = [&](const std::string& body, const std::string& key = "s3cret") {
        std::string ts = "1700000000000", text = ts + "." + body;
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
             text.size(), mac, &len);
        std::string hex;
        for (unsigned i = 0; i < len; ++i) hex += "0123456789abcdef"[mac[i] >> 4], hex += "0123456789abcdef"[mac[i] & 15];
        return http_request(crm.port(), "POST", "/api/attendance", body,
                            {{"X-Muster-Timestamp", ts}, {"X-Muster-Signature", "sha256=" + hex}});
    };
    CHECK(signed_post(batch({{"crm:a:1", "Ng"}})).status == 200);
    CHECK(signed_post(batch({{"crm:b:1", "Ng"}}), "wrong").status == 401);
    auto throttled = signed_post(batch({{"crm:b:1", "Ng"}}));  // the third request
    CHECK(throttled.status == 429);
    CHECK(throttled.headers["retry-after"] == "1");
    // One refused record refuses its whole request; nothing of it is stored.
    auto refused = signed_post(batch({{"crm:c:1", "Ng"}, {"crm:d:1", "Bad"}}));
    CHECK(refused.status == 422);
    CHECK(result(refused, 1).at("status") == "rejected");
    CHECK(crm.stats().records == 1);
    // Fixed while it runs.
    REQUIRE(crm.control(R"({"reject_last_name":""})"));
    CHECK(signed_post(batch({{"crm:c:1", "Ng"}, {"crm:d:1", "Bad"}})).status == 200);
    CHECK(crm.stats().records == 3);
}
