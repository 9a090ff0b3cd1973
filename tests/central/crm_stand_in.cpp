// muster-crm-stand-in: a CRM for the central-records tests and bench (docs/central.md, "Testing
// against a stand-in CRM"). An HTTP/1.1 server on 127.0.0.1 that takes the https target's
// batches (sync-server/central/https_target.cpp) and stores each record once by its
// idempotency key, and that fails on purpose as its options say:
//
//   --port N               0 (default): any free port; the port is printed as {"port":N}
//   --store FILE           the append-only JSON-lines store (required)
//   --seed N               the chaos's random numbers (default 1)
//   --fail-rate R          this share of requests get a 500 before anything is stored
//   --slow-rate R          this share of replies are held --slow-ms (default 3000) AFTER the
//                          records are stored: a client that timed out sends them again
//   --throttle-every N     every Nth request gets 429 with Retry-After: 1
//   --reject-last-name X   a request with a record whose last_name is X gets 422 (all of it)
//   --token T              requests need Authorization: Bearer T
//   --hmac-key-file F      requests need X-Muster-Timestamp and
//                          X-Muster-Signature: sha256=hex(HMAC-SHA256(key, timestamp "." body))
//
// GET /stats: {"requests","records" (in the store),"stored" (by this run),"duplicates",
// "rejected" (records refused),"slow","status":{"200":n,...}}. POST /control with a JSON object
// changes the chaos while it runs: {"reject_last_name": "", "fail_rate": 0, "slow_rate": 0,
// "throttle_every": 0} (a test "fixes" the malformed record this way). Every other POST is a
// delivery. The counters are this run's; the store outlives restarts.
#include "crm_store.hpp"

#include "muster/log/logger.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

struct Options {
    unsigned short port = 0;
    std::string store;
    std::uint64_t seed = 1;
    double fail_rate = 0, slow_rate = 0;
    int slow_ms = 3000;
    int throttle_every = 0;
    std::string reject_last_name;
    std::string token;
    std::string hmac_key;
};

struct Counters {
    std::uint64_t requests = 0, stored = 0, duplicates = 0, rejected = 0, slow = 0;
    std::map<int, std::uint64_t> status;
};

std::string hex(const unsigned char* p, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += digits[p[i] >> 4], out += digits[p[i] & 15];
    return out;
}

bool same_secret(const std::string& a, const std::string& b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

class StandIn {
public:
    explicit StandIn(Options o) : opt_(std::move(o)), store_(opt_.store), rng_(opt_.seed) {}

    using Request = http::request<http::string_body>;
    using Response = http::response<http::string_body>;

    // The reply and how long to hold it.
    struct Answer {
        Response res;
        std::chrono::milliseconds delay{0};
    };

    Answer handle(const Request& req) {
        Answer a;
        a.res = Response(http::status::ok, req.version());
        a.res.set(http::field::content_type, "application/json");
        a.res.keep_alive(req.keep_alive());
        int status = route(req, a);
        a.res.result(static_cast<unsigned>(status));
        a.res.prepare_payload();
        return a;
    }

private:
    int route(const Request& req, Answer& a) {
        if (req.method() == http::verb::get && req.target() == "/stats") {
            a.res.body() = json::serialize(stats());
            return 200;
        }
        if (req.method() == http::verb::post && req.target() == "/control") return control(req, a);
        if (req.method() != http::verb::post) {
            a.res.body() = R"({"error":"POST records, or GET /stats"})";
            return 405;
        }
        ++counters_.requests;
        int status = deliver(req, a);
        ++counters_.status[status];
        return status;
    }

    int control(const Request& req, Answer& a) {
        try {
            auto o = json::parse(req.body()).as_object();
            if (auto* v = o.if_contains("reject_last_name")) opt_.reject_last_name = std::string(v->as_string());
            if (auto* v = o.if_contains("fail_rate")) opt_.fail_rate = v->to_number<double>();
            if (auto* v = o.if_contains("slow_rate")) opt_.slow_rate = v->to_number<double>();
            if (auto* v = o.if_contains("throttle_every")) opt_.throttle_every = v->to_number<int>();
        } catch (const std::exception& e) {
            a.res.body() = json::serialize(json::object{{"error", e.what()}});
            return 400;
        }
        a.res.body() = "{}";
        return 200;
    }

    json::object stats() const {
        json::object status;
        for (auto [code, n] : counters_.status) status[std::to_string(code)] = n;
        return {{"requests", counters_.requests}, {"records", store_.size()}, {"stored", counters_.stored},
                {"duplicates", counters_.duplicates}, {"rejected", counters_.rejected}, {"slow", counters_.slow},
                {"status", std::move(status)}};
    }

    bool authorised(const Request& req) const {
        if (!opt_.token.empty()) {
            auto h = req.find(http::field::authorization);
            if (h == req.end() || !same_secret(std::string(h->value()), "Bearer " + opt_.token)) return false;
        }
        if (!opt_.hmac_key.empty()) {
            auto ts = req.find("X-Muster-Timestamp");
            auto sig = req.find("X-Muster-Signature");
            if (ts == req.end() || sig == req.end()) return false;
            std::string signed_text = std::string(ts->value()) + "." + req.body();
            unsigned char mac[EVP_MAX_MD_SIZE];
            unsigned int len = 0;
            HMAC(EVP_sha256(), opt_.hmac_key.data(), static_cast<int>(opt_.hmac_key.size()),
                 reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &len);
            if (!same_secret(std::string(sig->value()), "sha256=" + hex(mac, len))) return false;
        }
        return true;
    }

    bool chance(double rate) { return rate > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < rate; }

    int deliver(const Request& req, Answer& a) {
        if (!authorised(req)) {
            a.res.body() = R"({"error":"not authorised"})";
            return 401;
        }
        if (opt_.throttle_every > 0 && counters_.requests % static_cast<std::uint64_t>(opt_.throttle_every) == 0) {
            a.res.set(http::field::retry_after, "1");
            a.res.body() = R"({"error":"too many requests"})";
            return 429;
        }
        if (chance(opt_.fail_rate)) {
            a.res.body() = R"x({"error":"internal error, on purpose"})x";
            return 500;
        }
        json::object body;
        json::array* records = nullptr;
        try {
            body = json::parse(req.body()).as_object();
            records = &body.at("records").as_array();
            for (const auto& r : *records) (void)r.as_object().at("idempotency_key").as_string();
        } catch (const std::exception& e) {
            a.res.body() = json::serialize(json::object{{"error", std::string("malformed request: ") + e.what()}});
            return 400;
        }
        if (!opt_.reject_last_name.empty()) {
            json::array results;
            bool refused = false;
            for (const auto& r : *records) {
                const auto* last = r.as_object().if_contains("last_name");
                bool bad = last && last->is_string() && last->as_string() == opt_.reject_last_name;
                refused = refused || bad;
                results.push_back({{"idempotency_key", r.as_object().at("idempotency_key")},
                                   {"status", "rejected"},
                                   {"id", nullptr},
                                   {"error", bad ? "last_name is not accepted" : "the request has a refused record"}});
            }
            if (refused) {
                ++counters_.rejected;
                a.res.body() = json::serialize(json::object{{"error", "a record was refused"}, {"results", results}});
                return 422;
            }
        }
        auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
        json::value batch_id = body.contains("batch_id") ? body.at("batch_id") : json::value(nullptr);
        json::array results;
        for (const auto& r : *records) {
            std::string key(r.as_object().at("idempotency_key").as_string());
            auto added = store_.add(key, [&](const std::string& id) {
                return json::serialize(json::object{
                    {"key", key}, {"id", id}, {"batch_id", batch_id}, {"received_ms", now_ms}, {"record", r}});
            });
            ++(added.duplicate ? counters_.duplicates : counters_.stored);
            results.push_back({{"idempotency_key", key},
                               {"status", added.duplicate ? "duplicate" : "created"},
                               {"id", added.id},
                               {"error", nullptr}});
        }
        store_.sync();
        if (chance(opt_.slow_rate)) {
            ++counters_.slow;
            a.delay = std::chrono::milliseconds(opt_.slow_ms);
        }
        a.res.body() = json::serialize(json::object{{"results", std::move(results)}});
        return 200;
    }

    Options opt_;
    muster::test::crm::RecordStore store_;
    std::mt19937_64 rng_;
    Counters counters_;
};

asio::awaitable<void> serve(tcp::socket socket, StandIn& stand_in) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        auto answer = stand_in.handle(parser.get());
        if (answer.delay.count() > 0) {
            asio::steady_timer wait(co_await asio::this_coro::executor, answer.delay);
            co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        bool keep = answer.res.keep_alive();
        auto [wec, wn] = co_await http::async_write(stream, answer.res, asio::as_tuple(asio::use_awaitable));
        if (wec || !keep) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, StandIn& stand_in) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec) continue;
        asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), stand_in), asio::detached);
    }
}

std::string read_secret(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--port") o.port = static_cast<unsigned short>(std::stoi(value()));
        else if (a == "--store") o.store = value();
        else if (a == "--seed") o.seed = std::stoull(value());
        else if (a == "--fail-rate") o.fail_rate = std::stod(value());
        else if (a == "--slow-rate") o.slow_rate = std::stod(value());
        else if (a == "--slow-ms") o.slow_ms = std::stoi(value());
        else if (a == "--throttle-every") o.throttle_every = std::stoi(value());
        else if (a == "--reject-last-name") o.reject_last_name = value();
        else if (a == "--token") o.token = value();
        else if (a == "--hmac-key-file") o.hmac_key = read_secret(value());
        else throw std::runtime_error("unknown option " + a);
    }
    if (o.store.empty()) throw std::runtime_error("--store FILE is required");
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Options options = parse_options(argc, argv);
        unsigned short port = options.port;
        StandIn stand_in(std::move(options));
        asio::io_context ioc(1);
        tcp::acceptor acceptor(ioc);
        tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port);
        acceptor.open(at.protocol());
        // A stand-in restarted after a SIGKILL takes its old port back at once.
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(at);
        acceptor.listen();
        std::printf("{\"port\":%u}\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
        std::fflush(stdout);
        asio::signal_set stop(ioc, SIGTERM, SIGINT);
        stop.async_wait([&](auto, int) { ioc.stop(); });
        asio::co_spawn(ioc, accept_loop(acceptor, stand_in), asio::detached);
        ioc.run();
        return 0;
    } catch (const std::exception& e) {
        muster::log::Logger().error("stand_in_failed", {{"error", e.what()}});
        return 2;
    }
}
