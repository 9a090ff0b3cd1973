// What keeps staff logins from starving the hub (docs/staff.md, "Limits"): a bound on the
// password hashes in flight (the rest 503 with Retry-After, the server still answering other
// requests), and a rate of attempts per client address (429 with Retry-After).
#include "staff_fixture.hpp"
#include "staff_login_gate.hpp"

#include <atomic>
#include <thread>

using namespace muster;
using namespace muster::test;
using muster::server::LoginGate;

TEST_CASE("The login gate bounds the hashes in flight and gives places back", "[server][staff][limits]") {
    LoginGate gate(2, 10);
    auto a = gate.enter();
    auto b = gate.enter();
    CHECK(a);
    CHECK(b);
    CHECK_FALSE(gate.enter());
    a.reset();
    auto c = gate.enter();
    CHECK(c);
    CHECK_FALSE(gate.enter());
}

TEST_CASE("The login gate allows ten attempts a minute per address, in a burst or spread out", "[server][staff][limits]") {
    LoginGate gate(1, 10);
    TimeMs t = 1'000'000;
    for (int i = 0; i < 10; ++i) CHECK_FALSE(gate.attempt("10.0.0.1", t));
    auto wait = gate.attempt("10.0.0.1", t);
    REQUIRE(wait);
    CHECK(*wait == 6'000);  // one attempt back every six seconds
    CHECK_FALSE(gate.attempt("10.0.0.2", t));  // another address has its own allowance
    CHECK(gate.attempt("10.0.0.1", t + 5'999));
    CHECK_FALSE(gate.attempt("10.0.0.1", t + 6'000));
    CHECK(gate.attempt("10.0.0.1", t + 6'000));
    // A refused attempt is not counted: waiting the time said is enough.
    CHECK_FALSE(gate.attempt("10.0.0.1", t + 12'000));
    // After a quiet minute, a full burst again.
    for (int i = 0; i < 10; ++i) CHECK_FALSE(gate.attempt("10.0.0.1", t + 200'000));
    CHECK(gate.attempt("10.0.0.1", t + 200'000));
}

TEST_CASE("Too many logins from one address get 429 with Retry-After", "[server][staff][limits]") {
    StaffServer s;
    s.add("Cy Staff", "cy@hub.example.org", "staff");
    // Wrong passwords against a test-cost hash: cheap, so ten come well inside a minute.
    int refused = 0, limited = 0;
    HttpReply last;
    for (int i = 0; i < 11; ++i) {
        last = s.login_reply("cy@hub.example.org", "wrong password typed");
        (last.status == 429 ? limited : refused)++;
    }
    CHECK(limited >= 1);
    CHECK(refused >= 10);
    REQUIRE(last.status == 429);
    CHECK(code_of_reply(last) == "too_many");
    auto retry = std::stoi(last.headers["retry-after"]);
    CHECK(retry >= 1);
    CHECK(retry <= 6);
    check_security_headers(last);
    // The right password is refused too while limited: the limit is what stops a guesser.
    CHECK(s.login_reply("cy@hub.example.org", staff_password).status == 429);
    // Other requests are not limited.
    CHECK(s.get("/staff/login", "").status == 200);
}

TEST_CASE("Parallel logins beyond the hashes in flight get 503 and the server keeps answering", "[server][staff][limits]") {
    StaffServer s;
    // Unknown emails: each costs the hub's own Argon2 work (about half a second, 64 MiB).
    constexpr int logins = 8;  // under the rate per address (10)
    std::atomic<int> outstanding{logins}, ok_statuses{0}, busy{0};
    std::atomic<bool> retry_after_ok{true};
    std::vector<std::thread> threads;
    for (int i = 0; i < logins; ++i)
        threads.emplace_back([&, i] {
            auto r = s.login_reply("nobody" + std::to_string(i) + "@hub.example.org", "wrong password typed");
            if (r.status == 503) {
                ++busy;
                if (r.headers["retry-after"] != "1") retry_after_ok = false;
            } else if (r.status == 401) {
                ++ok_statuses;
            }
            --outstanding;
        });
    // Meanwhile, the server answers a page and the device API while a hash is running.
    int answered_meanwhile = 0, answered = 0;
    while (outstanding > 0) {
        auto page = s.get("/staff/login", "");
        auto health = http_request(s.port(), "GET", "/v1/health");
        if (page.status == 200 && health.status == 200) {
            ++answered;
            if (outstanding > 0) ++answered_meanwhile;
        }
    }
    for (auto& t : threads) t.join();
    CHECK(busy >= 1);
    CHECK(ok_statuses >= 1);
    CHECK(busy + ok_statuses == logins);
    CHECK(retry_after_ok);
    CHECK(answered_meanwhile >= 1);
    CHECK(answered >= 1);
    auto log = read_text_file(s.h.hub.log());
    CHECK(log.find("staff_login_limited") != std::string::npos);
}
