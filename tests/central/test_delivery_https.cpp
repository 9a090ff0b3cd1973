// The https target against a stand-in CRM in this process (delivery_receiver.hpp): what it
// sends, and what each kind of reply makes of the records (docs/central.md, "Delivery").
#include "delivery_items.hpp"
#include "delivery_receiver.hpp"
#include "https_target.hpp"
#include "temp_dir.hpp"
#include "tls_certificate.hpp"

#include "muster/util/config_error.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <filesystem>
#include <fstream>

using namespace muster;
using central::AuthKind;
using Kind = store::DeliveryResult::Kind;
namespace json = boost::json;

namespace {

struct Setup {
    test::TempDir dir;
    central::TargetConfig config;
    explicit Setup(const std::string& url) {
        config.name = "crm";
        config.url = url;
        config.timeout_ms = 2000;
        config.requests_per_s = 0;
    }
    void secret(const std::string& text, AuthKind auth) {
        std::ofstream(dir.file("secret")) << text << "\n";
        std::filesystem::permissions(dir.file("secret"), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        config.auth = auth;
        config.secret_file = dir.file("secret");
    }
};


json::array records_of(const test::ReceivedRequest& r) { return json::parse(r.body).as_object().at("records").as_array(); }

}  // namespace

TEST_CASE("A batch is posted with its keys and bearer token and each record's result is read", "[central][https]") {
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t) {
        json::array results;
        results.push_back(json::object{{"idempotency_key", r.keys.at(0)}, {"status", "created"}, {"id", "A1"}});
        results.push_back(json::object{{"idempotency_key", r.keys.at(1)}, {"status", "duplicate"}, {"id", 42}});
        results.push_back(json::object{{"idempotency_key", r.keys.at(2)}, {"status", "rejected"},
                                       {"error", "TRN 0123456 of sian@oak.sch.uk invalid"}});
        return test::ReceiverReply{201, json::serialize(json::object{{"results", results}}), {}, {}};
    });
    Setup s(crm.url());
    s.secret("tok-123", AuthKind::bearer);
    auto target = central::make_https_target(s.config);
    auto items = test::delivery_items(4);
    items[3].payload = "not json";  // a record the target cannot read: rejected alone, never sent
    auto out = target->deliver(items);
    REQUIRE(out.size() == 4);
    CHECK(out[0].kind == Kind::delivered);
    CHECK(out[0].remote_id == "A1");
    CHECK(out[0].http_status == 201);
    CHECK(out[1].kind == Kind::delivered);
    CHECK(out[1].remote_id == "42");
    CHECK(out[2].kind == Kind::rejected);
    // The CRM's words are kept only as a short code: no TRN digits, no email.
    CHECK(out[2].error.find("0123456") == std::string::npos);
    CHECK(out[2].error.find("@") == std::string::npos);
    CHECK(out[2].error.rfind("rejected by the target", 0) == 0);
    CHECK(out[3].kind == Kind::rejected);
    CHECK_FALSE(out[3].http_status);

    auto sent = crm.requests();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].target == "/records");
    CHECK(sent[0].header("authorization") == "Bearer tok-123");
    CHECK(sent[0].header("content-type") == "application/json");
    const auto key = sent[0].header("idempotency-key");
    CHECK(key.size() == 64);
    auto body = json::parse(sent[0].body).as_object();
    CHECK(body.at("batch_id").as_string() == key);
    auto records = body.at("records").as_array();
    REQUIRE(records.size() == 3);
    CHECK(records[0].at("idempotency_key").as_string() == "crm:rec-1:1");
    CHECK(records[0].at("record_id").as_string() == "rec-1");
    CHECK(records[0].at("version").as_int64() == 1);
    CHECK(records[0].at("correction").as_bool() == false);
    CHECK(records[0].at("trn").as_string() == "0123456");  // no mapping: the record as it is

    // The same records again: the same request key, so the CRM can tell a resend.
    std::vector<store::DeliveryItem> again(items.begin(), items.begin() + 3);
    target->deliver(again);
    REQUIRE(crm.requests().size() == 2);
    CHECK(crm.requests()[1].header("idempotency-key") == key);
}

TEST_CASE("A 2xx without results delivers every record of the request", "[central][https]") {
    test::DeliveryReceiver crm([](const test::ReceivedRequest&, std::size_t) { return test::ReceiverReply{204, "", {}, {}}; });
    Setup s(crm.url());
    auto out = central::make_https_target(s.config)->deliver(test::delivery_items(3));
    for (const auto& o : out) {
        CHECK(o.kind == Kind::delivered);
        CHECK(o.http_status == 204);
    }
}

TEST_CASE("5xx, 429 and 503 with Retry-After are retried", "[central][https]") {
    test::DeliveryReceiver crm([](const test::ReceivedRequest&, std::size_t n) {
        if (n == 0) return test::ReceiverReply{500, "{\"error\": \"Siân broke it\"}", {}, {}};
        if (n == 1) return test::ReceiverReply{429, "", {{"Retry-After", "7"}}, {}};
        return test::ReceiverReply{503, "", {{"Retry-After", "Fri, 01 Jan 2100 00:00:00 GMT"}}, {}};
    });
    Setup s(crm.url());
    auto target = central::make_https_target(s.config);
    auto items = test::delivery_items(2);
    auto first = target->deliver(items);
    for (const auto& o : first) {
        CHECK(o.kind == Kind::retry);
        CHECK(o.http_status == 500);
        CHECK(o.error == "HTTP 500 Internal Server Error");  // the status, never the CRM's body
        CHECK_FALSE(o.retry_after);
    }
    auto second = target->deliver(items);
    CHECK(second[0].kind == Kind::retry);
    CHECK(second[0].http_status == 429);
    CHECK(second[0].retry_after == std::chrono::milliseconds(7000));
    auto third = target->deliver(items);
    CHECK(third[1].kind == Kind::retry);
    CHECK(third[1].http_status == 503);
    REQUIRE(third[1].retry_after);
    CHECK(third[1].retry_after->count() > 1'000'000'000LL);  // a date far ahead (the policy caps it)
}

TEST_CASE("A 422 for one record of a batch rejects only that record", "[central][https]") {
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t) {
        bool malformed = false;
        for (const auto& k : r.keys) malformed = malformed || k == "crm:rec-2:1";
        if (malformed) return test::ReceiverReply{422, "{\"error\": \"bad TRN 0123456\"}", {}, {}};
        return test::created_reply(r);
    });
    Setup s(crm.url());
    auto out = central::make_https_target(s.config)->deliver(test::delivery_items(3));
    CHECK(out[0].kind == Kind::delivered);
    CHECK(out[1].kind == Kind::rejected);
    CHECK(out[1].http_status == 422);
    CHECK(out[1].error == "HTTP 422 Unprocessable Entity");
    CHECK(out[2].kind == Kind::delivered);
    auto sent = crm.requests();
    REQUIRE(sent.size() == 4);  // the batch, then one request per record
    CHECK(sent[0].keys.size() == 3);
    for (std::size_t i = 1; i < 4; ++i) CHECK(sent[i].keys.size() == 1);
}

TEST_CASE("A reply slower than the timeout and a refused connection are retried", "[central][https]") {
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t n) {
        auto reply = test::created_reply(r);
        if (n == 0) reply.hold = std::chrono::milliseconds(5000);
        return reply;
    });
    Setup s(crm.url());
    s.config.timeout_ms = 300;
    auto target = central::make_https_target(s.config);
    const auto started = std::chrono::steady_clock::now();
    auto slow = target->deliver(test::delivery_items(2));
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(slow[0].kind == Kind::retry);
    CHECK_FALSE(slow[0].http_status);
    CHECK(slow[0].error.find("timed out") != std::string::npos);
    CHECK(took < std::chrono::milliseconds(3000));
    auto next = target->deliver(test::delivery_items(2));  // a new connection, answered at once
    CHECK(next[0].kind == Kind::delivered);

    // Nobody listening on the port.
    unsigned short closed_port = 0;
    {
        test::DeliveryReceiver gone([](const test::ReceivedRequest& r, std::size_t) { return test::created_reply(r); });
        closed_port = gone.port();
    }
    Setup refused("http://127.0.0.1:" + std::to_string(closed_port) + "/records");
    auto out = central::make_https_target(refused.config)->deliver(test::delivery_items(1));
    CHECK(out[0].kind == Kind::retry);
    CHECK(out[0].error.find("cannot connect") != std::string::npos);
}

TEST_CASE("HTTPS with the CRM's CA delivers, another CA is a TLS failure retried", "[central][https]") {
    test::TempDir dir;
    admin::write_self_signed_certificate(dir.file("crm.pem"), dir.file("crm.key"), "crm", {"127.0.0.1"});
    admin::write_self_signed_certificate(dir.file("other.pem"), dir.file("other.key"), "other", {"127.0.0.1"});
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t) { return test::created_reply(r); },
                               std::pair{std::filesystem::path(dir.file("crm.pem")), std::filesystem::path(dir.file("crm.key"))});
    REQUIRE(crm.url().rfind("https://", 0) == 0);
    Setup s(crm.url());
    s.config.ca_file = dir.file("crm.pem");
    auto out = central::make_https_target(s.config)->deliver(test::delivery_items(2));
    CHECK(out[0].kind == Kind::delivered);
    CHECK(out[1].kind == Kind::delivered);

    Setup wrong(crm.url());
    wrong.config.ca_file = dir.file("other.pem");
    auto refused = central::make_https_target(wrong.config)->deliver(test::delivery_items(1));
    CHECK(refused[0].kind == Kind::retry);
    CHECK(refused[0].error.find("TLS handshake failed") != std::string::npos);
    CHECK(crm.requests().size() == 1);  // nothing was sent to an unverified server
}

TEST_CASE("The HMAC signature covers the timestamp and the body", "[central][https]") {
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t) { return test::created_reply(r); });
    Setup s(crm.url());
    s.secret("hmac-key-Ω", AuthKind::hmac);
    auto out = central::make_https_target(s.config)->deliver(test::delivery_items(2));
    CHECK(out[0].kind == Kind::delivered);
    auto sent = crm.requests();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].header("authorization").empty());
    const auto ts = sent[0].header("x-muster-timestamp");
    REQUIRE_FALSE(ts.empty());
    // Computed here with OpenSSL's one-shot HMAC, independently of the target's code.
    const std::string key = "hmac-key-Ω", text = ts + "." + sent[0].body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), mac, &length);
    std::string hex;
    char two[3];
    for (unsigned int i = 0; i < length; ++i) std::snprintf(two, sizeof two, "%02x", mac[i]), hex += two;
    CHECK(sent[0].header("x-muster-signature") == "sha256=" + hex);
}

TEST_CASE("The Insightly example mapping names the CRM's fields", "[central][https]") {
    test::DeliveryReceiver crm([](const test::ReceivedRequest& r, std::size_t) { return test::created_reply(r); });
    Setup s(crm.url());
    s.config.mapping = std::string(MUSTER_SOURCE_DIR) + "/device-config/central-mapping.insightly.json";
    auto out = central::make_https_target(s.config)->deliver(test::delivery_items(1));
    CHECK(out[0].kind == Kind::delivered);
    auto sent = crm.requests();
    REQUIRE(sent.size() == 1);
    CHECK(json::parse(sent[0].body).as_object().at("object").as_string() == "Attendance_Record__c");
    auto r = records_of(sent[0]).at(0).as_object();
    CHECK(r.at("TRN__c").as_string() == "0123456");
    CHECK(r.at("EVENT_DATE__c").as_string() == "2025-10-01");
    CHECK(r.at("ATTENDANCE_STATUS__c").as_string() == "Attended");
    CHECK(r.at("EVIDENCE_HELD__c").as_string() == "Training event attended");
    CHECK(r.at("SOURCE__c").as_string() == "Muster hub");
    CHECK(r.at("idempotency_key").as_string() == "crm:rec-1:1");
    CHECK_FALSE(r.contains("first_name"));  // only what the mapping names
}

TEST_CASE("A target that cannot be set up is refused", "[central][https]") {
    Setup s("http://crm.example.org/x");
    CHECK_THROWS_AS(central::make_https_target(s.config), ConfigError);
    Setup open("https://crm.example.org/x");
    std::ofstream(open.dir.file("secret")) << "t";
    std::filesystem::permissions(open.dir.file("secret"), std::filesystem::perms::owner_read | std::filesystem::perms::others_read);
    open.config.auth = AuthKind::bearer;
    open.config.secret_file = open.dir.file("secret");
    CHECK_THROWS_WITH(central::make_https_target(open.config), Catch::Contains("chmod 600"));
    Setup bad_map("https://crm.example.org/x");
    std::ofstream(bad_map.dir.file("m.json")) << "{\"fields\": {\"version\": \"version\"}}";
    bad_map.config.mapping = bad_map.dir.file("m.json");
    CHECK_THROWS_WITH(central::make_https_target(bad_map.config), Catch::Contains("fields.version"));
}
