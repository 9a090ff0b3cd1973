// The register's and the staff pages' request handling (sync-server/server/register_api.cpp,
// staff_api.cpp, staff_login.cpp and the staff handlers, request_parts.cpp), over the hub
// database of fuzz_hub.hpp with a staff admin's session and a register link's session made
// once. The first byte chooses the mode (modulo 8; 5 to 7 are 0 too); the rest is a request carved as in fuzz_request.hpp:
//
//  0  the pure parts on the input split at its first LF into A and B: cookie values
//     (staff and register), CSRF tokens, secrets, query values, Content-Type, same origin.
//     A CSRF token matches exactly when it is the one derived from that cookie value; a
//     cookie value found is a part of the header; a secret parses exactly when well formed,
//     and only a well-formed one makes a Set-Cookie header.
//  1  a staff request from a stranger, as given;       3  a register request, as given.
//  2  a staff request with the admin's real cookie;    4  a register request with the
//     tablet's real cookie. The next byte's bit 0 sends the session's real CSRF token (else
//     the carved X-CSRF-Token), bit 1 adds a same-origin Host and Origin, bit 2 a JSON
//     Content-Type, so the handlers' JSON readers and the store are reached.
//
// Every answer: a known status below 500 (the store is a healthy tmpfs file: a 5xx is bad
// input breaking the server), a JSON body when it says JSON. A stranger's 2xx is only ever a
// page or an asset (GET, not JSON), never a session's cookie. A write without the session's
// real CSRF token is never accepted. After a session's request both sessions are made whole
// again if the request ended them (a logout, a revoked link) and must answer 200.
#include "../support/fuzz_hub.hpp"
#include "../support/fuzz_request.hpp"

#include "register_api.hpp"
#include "request_parts.hpp"
#include "staff_api.hpp"
#include "staff_routes.hpp"

#include "muster/register/register_access.hpp"
#include "muster/staff/staff_access.hpp"
#include "muster/staff/staff_password.hpp"
#include "muster/store/register_link_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/staff_store.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

using namespace muster;
using server::ApiRequest;
using server::ApiResponse;

void check(bool condition) {
    if (!condition) std::abort();  // libFuzzer keeps the input as a crash
}

constexpr const char* admin_email = "admin@hub.test";
constexpr const char* admin_password = "a long fuzzing password";

struct Web {
    const fuzz::FuzzHub& hub = fuzz::fuzz_hub();
    std::FILE* sink = std::fopen("/dev/null", "w");
    log::Logger log{log::Level::error, sink};
    std::int64_t ticks = 0;  // one millisecond per request
    server::ChangeFeed feed;  // the register's live stream needs one (nobody listens)
    server::StaffApi staff{hub.database, log, [this] { return now(); }, 1, &feed,
                           {server::handle_staff_central, server::handle_staff_events, server::handle_staff_schools,
                            server::handle_staff_facilitators, server::handle_staff_satisfaction}};
    server::RegisterApi reg{hub.database, log, [this] { return now(); }, 1, &feed};
    std::unique_ptr<db::Database> db = store::open_database(hub.database);
    store::StaffId admin = 0;
    std::string staff_cookie, register_cookie;

    Web() {
        auto added = store::add_staff(*db, {"Fuzz admin", admin_email, store::StaffRole::admin}, admin_password, now(),
                                      staff::test_cost, std::nullopt);
        if (!added.id) throw std::runtime_error("no fuzz admin");
        admin = *added.id;
        restore_sessions();
    }

    TimeMs now() const { return hub.started_ms + ticks; }

    // Both sessions alive: a fuzzed request may have logged out, disabled or locked the
    // admin, changed its password or revoked the link. Made again as the terminal would.
    void restore_sessions() {
        if (staff_cookie.empty() || !store::check_staff_session(*db, staff_cookie, now()).who) {
            store::enable_staff(*db, admin, now(), std::nullopt);
            store::unlock_staff(*db, admin, now(), std::nullopt);
            store::set_staff_password(*db, admin, admin_password, now(), staff::test_cost, std::nullopt);
            db->prepare("UPDATE staff_accounts SET role = 'admin' WHERE id = ?1").bind(1, admin).run();
            auto login = store::login(*db, admin_email, admin_password, now(), staff::test_cost);
            if (!login.session) throw std::runtime_error("the fuzz admin cannot log in");
            staff_cookie = login.session->cookie_value;
        }
        if (register_cookie.empty() || !store::check_session(*db, register_cookie, now()).scope) {
            auto link = store::create_link(*db, {hub.event, std::nullopt, std::string("fuzz")}, now());
            if (!link.link) throw std::runtime_error("no register link");
            auto ex = store::exchange(*db, link.link->code, now());
            if (!ex.session) throw std::runtime_error("the register link did not open");
            register_cookie = ex.session->cookie_value;
        }
    }

    ApiResponse handle(bool staff_side, const ApiRequest& r) {
        ++ticks;
        return staff_side ? staff.handle(r) : reg.handle(r);
    }
};

Web& web() {
    static Web w;
    return w;
}

bool is_session_cookie(const std::string& set_cookie) {
    // A cleared cookie (Max-Age=0, empty value) is harmless; a value is a session.
    auto eq = set_cookie.find('=');
    return eq != std::string::npos && eq + 1 < set_cookie.size() && set_cookie[eq + 1] != ';';
}

// A known status below 500, and JSON when it says so; returns the status.
int check_answer(const ApiResponse& a) {
    static const bool verbose = std::getenv("MUSTER_FUZZ_VERBOSE") != nullptr;  // to check what seeds reach
    if (verbose) std::fprintf(stderr, "%d %.160s\n", sync::code_of(a.status), a.body.c_str());
    int status = sync::code_of(a.status);
    check(status >= 200 && status < 500);
    if (a.content_type.rfind("application/json", 0) == 0) {
        boost::system::error_code ec;
        (void)boost::json::parse(a.body, ec);
        check(!ec);
    }
    return status;
}

void pure_parts(std::string_view in) {
    auto& w = web();
    auto lf = in.find('\n');
    std::string_view a = in.substr(0, lf), b = lf == std::string_view::npos ? std::string_view() : in.substr(lf + 1);
    auto inside = [](std::string_view part, std::string_view whole) {
        return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
    };
    if (auto v = staff::cookie_value_in(a)) check(inside(*v, a));
    if (auto v = register_access::cookie_value_in(a)) check(inside(*v, a));
    // The real sessions' tokens: only the derived one matches.
    check(staff::csrf_matches(w.staff_cookie, b) == (b == staff::csrf_token_for(w.staff_cookie)));
    check(register_access::csrf_matches(w.register_cookie, b) == (b == register_access::csrf_token_for(w.register_cookie)));
    // Any cookie value: a token matches only when well formed and derived from it.
    bool formed = register_access::is_well_formed_secret(a);
    if (staff::csrf_matches(a, b)) check(formed && !b.empty() && b == staff::csrf_token_for(a));
    if (register_access::csrf_matches(a, b)) check(formed && !b.empty() && b == register_access::csrf_token_for(a));
    if (formed) check(staff::csrf_token_for(a) != register_access::csrf_token_for(a));  // one kind is never the other
    check(register_access::parse_secret(a).has_value() == formed);
    bool made = true;
    try {
        (void)staff::set_cookie_header(a, 0, 1000);
        (void)register_access::set_cookie_header(a, 0, 1000);
    } catch (const std::invalid_argument&) {
        made = false;
    }
    check(made == formed);
    if (auto v = server::query_value(a, b)) check(v->empty() || inside(*v, a));  // "" for a bare key
    if (auto n = server::parse_int(a)) check(!a.empty());
    if (server::is_json_content_type(a)) check(a.size() >= 16);
    ApiRequest r = fuzz::carve_request(in);
    (void)server::same_origin(r);
}

void stranger(bool staff_side, std::string_view bytes) {
    auto r = fuzz::carve_request(bytes);
    auto a = web().handle(staff_side, r);
    int status = check_answer(a);
    if (status >= 200 && status < 300) {
        // Only a page or an asset: nothing of the API answers without a session.
        check(r.method == "GET");
        check(a.content_type.rfind("application/json", 0) != 0);
        check(!a.stream);
        for (const auto& [name, value] : a.headers)
            if (name == "Set-Cookie") check(!is_session_cookie(value));
    }
}

void with_session(bool staff_side, std::string_view bytes) {
    auto& w = web();
    if (bytes.empty()) return;
    unsigned flags = static_cast<unsigned char>(bytes.front());
    auto r = fuzz::carve_request(bytes.substr(1));
    const std::string& cookie = staff_side ? w.staff_cookie : w.register_cookie;
    r.headers["cookie"] = std::string(staff_side ? staff::cookie_name : register_access::cookie_name) + "=" + cookie;
    std::string genuine = staff_side ? staff::csrf_token_for(cookie) : register_access::csrf_token_for(cookie);
    if (flags & 1) r.headers["x-csrf-token"] = genuine;
    if (flags & 2) {
        r.headers["host"] = "hub.test";
        r.headers["origin"] = "https://hub.test";
    }
    if (flags & 4) r.headers["content-type"] = "application/json";
    bool forged = server::header(r, "x-csrf-token") != genuine;
    auto a = w.handle(staff_side, r);
    int status = check_answer(a);
    auto path = server::path_of(r.target);
    bool guarded = staff_side ? path.rfind("/staff/api/", 0) == 0 || path == "/staff/logout"
                              : path.rfind("/register/api/", 0) == 0;
    if (forged && r.method != "GET" && guarded) check(status >= 400);
    // The store still answers: both sessions whole again, and each answers.
    w.restore_sessions();
    ApiRequest me{"GET", "/staff/api/me", {{"cookie", std::string(staff::cookie_name) + "=" + w.staff_cookie}}, ""};
    check(check_answer(w.handle(true, me)) == 200);
    ApiRequest session{"GET", "/register/session", {{"cookie", std::string(register_access::cookie_name) + "=" + w.register_cookie}}, ""};
    check(check_answer(w.handle(false, session)) == 200);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)web();  // the hub database and the sessions, made once
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 8) {  // so '0'..'4' in a seed's first byte name the modes
        case 1: stranger(true, bytes); break;
        case 2: with_session(true, bytes); break;
        case 3: stranger(false, bytes); break;
        case 4: with_session(false, bytes); break;
        default: pure_parts(bytes); break;
    }
    return 0;
}
