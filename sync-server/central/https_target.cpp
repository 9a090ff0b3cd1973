// The https target (https_target.hpp, docs/central.md "Delivery"). One Beast translation unit:
// the helpers it uses (retry timing, rate, mapping, signature) have none.
#include "https_target.hpp"

#include "hmac_signature.hpp"
#include "record_mapping.hpp"
#include "request_rate.hpp"
#include "retry_policy.hpp"

#include "muster/util/config_error.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <openssl/evp.h>

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace muster::central {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Kind = store::DeliveryResult::Kind;

// What one request came to: a status with the parts of the reply that matter, or no reply.
struct Reply {
    std::optional<int> status;
    std::string error;  // no reply: why (a transport error's words; no personal data)
    std::string body;
    std::optional<std::string> retry_after;
};

std::string read_secret(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError(file.string() + ": cannot read the secret file");
    std::ostringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    if (s.empty()) throw ConfigError(file.string() + ": the secret file is empty");
    return s;
}

std::string sha256_hex(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) hex += digits[digest[i] >> 4], hex += digits[digest[i] & 0xf];
    return hex;
}

bool is_ip_literal(const std::string& host) {
    beast::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

// A CRM's per-record error kept for staff only as a short code: letters, '_', '-', '.', ' '
// and ':' up to 60 characters, digits shown as '#', a word with '@' dropped. The CRM's words
// may quote the record (a TRN, an email, a name in a sentence); its code rarely does.
std::string sanitized(std::string_view text) {
    std::string out;
    std::string word;
    auto flush = [&] {
        if (word.find('@') == std::string::npos) out += word;
        word.clear();
    };
    for (char c : text) {
        if (out.size() + word.size() >= 60) break;
        if (c == ' ') {
            flush();
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.' || c == ':') {
            word += c;
        } else if (c >= '0' && c <= '9') {
            word += '#';
        } else if (c == '@') {
            word += '@';
        }
    }
    flush();
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string status_text(int status) {
    std::string reason(http::obsolete_reason(static_cast<http::status>(status)));
    return "HTTP " + std::to_string(status) + (reason.empty() || reason == "<unknown-status>" ? "" : " " + reason);
}

class HttpsTarget final : public DeliveryTarget {
public:
    explicit HttpsTarget(const TargetConfig& c) : config_(c), rate_(c.requests_per_s) {
        auto url = parse_target_url(c.url);
        if (!url) throw ConfigError("central target " + c.name + ": url: not an http(s) URL");
        if (!url->tls && !is_loopback_host(url->host))
            throw ConfigError("central target " + c.name + ": url: http:// is only allowed to a loopback address");
        url_ = *url;
        if (c.mapping) mapping_ = RecordMapping::load(*c.mapping);
        if (c.auth != AuthKind::none) {
            if (!c.secret_file) throw ConfigError("central target " + c.name + ": secret_file: missing");
            struct stat st {};
            if (::stat(c.secret_file->c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
                throw ConfigError(c.secret_file->string() + ": readable by others: chmod 600 it");
            secret_ = read_secret(*c.secret_file);
        }
        if (url_.tls) {
            tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                             ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
            tls_.set_verify_mode(ssl::verify_peer);
            try {
                if (c.ca_file) tls_.load_verify_file(c.ca_file->string());
                else tls_.set_default_verify_paths();
            } catch (const boost::system::system_error& e) {
                throw ConfigError("central target " + c.name + ": ca_file: cannot use " +
                                  (c.ca_file ? c.ca_file->string() : std::string("the system's CAs")) + ": " + e.what());
            }
        }
    }

    std::vector<DeliveryOutcome> deliver(std::span<const store::DeliveryItem> batch) override {
        std::vector<DeliveryOutcome> outcomes(batch.size());
        std::vector<std::size_t> sendable;
        std::vector<json::object> mapped(batch.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            try {
                mapped[i] = mapping_.apply(batch[i].payload);
                sendable.push_back(i);
            } catch (const std::exception& e) {
                outcomes[i].kind = Kind::rejected;
                outcomes[i].error = std::string("cannot map the record: ") + e.what();
            }
        }
        if (!sendable.empty()) send(batch, mapped, sendable, outcomes);
        return outcomes;
    }

private:
    // One request for `which` (indexes into batch); a 4xx for more than one record is tried
    // again one record a request, so a malformed record is the only one rejected.
    void send(std::span<const store::DeliveryItem> batch, const std::vector<json::object>& mapped,
              const std::vector<std::size_t>& which, std::vector<DeliveryOutcome>& outcomes) {
        std::string keys;
        for (auto i : which) keys += batch[i].idempotency_key + "\n";
        const std::string request_key = sha256_hex(keys);
        json::object body;
        body["batch_id"] = request_key;
        if (mapping_.object()) body["object"] = *mapping_.object();
        json::array records;
        for (auto i : which) {
            json::object r = mapped[i];
            r["idempotency_key"] = batch[i].idempotency_key;
            r["record_id"] = batch[i].record_id;
            r["version"] = batch[i].version;
            r["correction"] = batch[i].correction;
            records.push_back(std::move(r));
        }
        body["records"] = std::move(records);
        const Reply reply = post(json::serialize(body), request_key);

        auto all = [&](Kind kind, const std::string& error, std::optional<std::chrono::milliseconds> after = {}) {
            for (auto i : which) {
                outcomes[i].kind = kind;
                outcomes[i].http_status = reply.status;
                outcomes[i].error = error;
                outcomes[i].retry_after = after;
            }
        };
        if (!reply.status) return all(Kind::retry, reply.error);
        const int status = *reply.status;
        if (status >= 200 && status < 300) return read_results(batch, which, reply, outcomes);
        if (status == 429 || status == 503) {
            std::optional<std::chrono::milliseconds> after;
            if (reply.retry_after) after = parse_retry_after(*reply.retry_after, now_unix_ms());
            return all(Kind::retry, status_text(status), after);
        }
        if (status >= 500) return all(Kind::retry, status_text(status));
        if (status >= 400 && which.size() > 1) {
            for (auto i : which) send(batch, mapped, {i}, outcomes);
            return;
        }
        // A 4xx for one record (or a 1xx/3xx, which no retry will change): a person looks.
        all(Kind::rejected, status_text(status));
    }

    // A 2xx: each record's outcome from "results", by idempotency key; none given: all delivered.
    void read_results(std::span<const store::DeliveryItem> batch, const std::vector<std::size_t>& which,
                      const Reply& reply, std::vector<DeliveryOutcome>& outcomes) {
        std::map<std::string, const json::object*> by_key;
        boost::system::error_code ec;
        json::value doc = json::parse(reply.body, ec);
        const json::array* results = nullptr;
        if (!ec && doc.is_object())
            if (const auto* r = doc.as_object().if_contains("results"); r && r->is_array()) results = &r->as_array();
        if (results)
            for (const auto& v : *results)
                if (v.is_object())
                    if (const auto* k = v.as_object().if_contains("idempotency_key"); k && k->is_string())
                        by_key[std::string(k->as_string())] = &v.as_object();
        for (auto i : which) {
            auto& out = outcomes[i];
            out.http_status = reply.status;
            if (!results) {
                out.kind = Kind::delivered;
                continue;
            }
            auto found = by_key.find(batch[i].idempotency_key);
            if (found == by_key.end()) {
                out.kind = Kind::retry;
                out.error = "not in the reply's results";
                continue;
            }
            const json::object& r = *found->second;
            std::string state;
            if (const auto* s = r.if_contains("status"); s && s->is_string()) state = std::string(s->as_string());
            if (const auto* id = r.if_contains("id")) {
                if (id->is_string()) out.remote_id = std::string(id->as_string());
                else if (id->is_int64()) out.remote_id = std::to_string(id->as_int64());
                else if (id->is_uint64()) out.remote_id = std::to_string(id->as_uint64());
            }
            if (state == "created" || state == "duplicate") {
                out.kind = Kind::delivered;
            } else if (state == "rejected") {
                out.kind = Kind::rejected;
                std::string why;
                if (const auto* e = r.if_contains("error"); e && e->is_string()) why = sanitized(e->as_string());
                out.error = "rejected by the target" + (why.empty() ? std::string() : ": " + why);
            } else {
                out.kind = Kind::retry;
                out.error = "the reply's result has no known status";
            }
        }
    }

    static TimeMs now_unix_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    Reply post(const std::string& body, const std::string& request_key) {
        rate_.wait();
        http::request<http::string_body> req{http::verb::post, url_.target, 11};
        req.set(http::field::host, url_.host.find(':') != std::string::npos ? "[" + url_.host + "]:" + url_.port
                                                                           : url_.host + ":" + url_.port);
        req.set(http::field::user_agent, "muster-sync-server");
        req.set(http::field::content_type, "application/json");
        req.set(http::field::accept, "application/json");
        req.set("Idempotency-Key", request_key);
        if (config_.auth == AuthKind::bearer) req.set(http::field::authorization, "Bearer " + secret_);
        if (config_.auth == AuthKind::hmac) {
            auto signature = sign_body(secret_, body, now_unix_ms() / 1000);
            req.set("X-Muster-Timestamp", signature.timestamp);
            req.set("X-Muster-Signature", signature.signature);
        }
        req.body() = body;
        req.prepare_payload();
        req.keep_alive(true);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.timeout_ms);
        const bool reused = connected();
        Reply reply = exchange(req, deadline);
        // A kept-alive connection the CRM closed while idle fails at once, before any reply:
        // try a new one within the same deadline (the request is idempotent anyway).
        if (!reply.status && reused && std::chrono::steady_clock::now() < deadline) reply = exchange(req, deadline);
        return reply;
    }

    bool connected() const { return plain_.has_value() || secure_.has_value(); }
    beast::tcp_stream& lowest() { return secure_ ? beast::get_lowest_layer(*secure_) : *plain_; }

    void run() {
        ioc_.restart();
        ioc_.run();
    }

    void drop() {
        beast::error_code ignored;
        if (connected()) lowest().socket().close(ignored);
        plain_.reset();
        secure_.reset();
        buffer_.clear();
    }

    static std::string words(const beast::error_code& ec) {
        if (ec == beast::error::timeout || ec == asio::error::operation_aborted) return "timed out";
        return ec.message();
    }

    std::string connect(std::chrono::steady_clock::time_point deadline) {
        beast::error_code ec;
        tcp::resolver resolver(ioc_);
        asio::steady_timer timer(ioc_, deadline);
        tcp::resolver::results_type endpoints;
        bool resolved = false;
        timer.async_wait([&](beast::error_code e) {
            if (!e && !resolved) resolver.cancel();
        });
        resolver.async_resolve(url_.host, url_.port, [&](beast::error_code e, tcp::resolver::results_type r) {
            resolved = true;
            ec = e;
            endpoints = std::move(r);
            timer.cancel();
        });
        run();
        if (ec) return ec == asio::error::operation_aborted ? "cannot resolve the host: timed out"
                                                             : "cannot resolve the host: " + ec.message();
        if (url_.tls) {
            secure_.emplace(ioc_, tls_);
            if (!is_ip_literal(url_.host) && !SSL_set_tlsext_host_name(secure_->native_handle(), url_.host.c_str()))
                return "cannot set the TLS server name";
            secure_->set_verify_callback(ssl::host_name_verification(url_.host));
        } else {
            plain_.emplace(ioc_);
        }
        lowest().expires_at(deadline);
        lowest().async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
        run();
        if (ec) return "cannot connect: " + words(ec);
        lowest().socket().set_option(tcp::no_delay(true), ec);
        if (url_.tls) {
            lowest().expires_at(deadline);
            secure_->async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
            run();
            if (ec) return "TLS handshake failed: " + words(ec);
        }
        return "";
    }

    template <class Stream>
    std::string write_and_read(Stream& stream, http::request<http::string_body>& req,
                               http::response_parser<http::string_body>& parser,
                               std::chrono::steady_clock::time_point deadline) {
        beast::error_code ec;
        lowest().expires_at(deadline);
        http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
        run();
        if (ec) return "sending: " + words(ec);
        lowest().expires_at(deadline);
        http::async_read(stream, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
        run();
        if (ec) return "waiting for the reply: " + words(ec);
        return "";
    }

    Reply exchange(http::request<http::string_body>& req, std::chrono::steady_clock::time_point deadline) {
        Reply reply;
        if (!connected()) {
            if (auto err = connect(deadline); !err.empty()) {
                drop();
                reply.error = err;
                return reply;
            }
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(8 << 20);
        std::string err = secure_ ? write_and_read(*secure_, req, parser, deadline)
                                  : write_and_read(*plain_, req, parser, deadline);
        if (!err.empty()) {
            drop();
            reply.error = err;
            return reply;
        }
        auto res = parser.release();
        reply.status = static_cast<int>(res.result_int());
        if (auto h = res.find(http::field::retry_after); h != res.end()) reply.retry_after = std::string(h->value());
        reply.body = std::move(res.body());
        if (!res.keep_alive()) drop();
        return reply;
    }

    TargetConfig config_;
    TargetUrl url_;
    RecordMapping mapping_;
    std::string secret_;
    RequestRate rate_;
    asio::io_context ioc_{1};
    ssl::context tls_{ssl::context::tls_client};
    std::optional<beast::tcp_stream> plain_;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
    beast::flat_buffer buffer_;
};

}  // namespace

std::unique_ptr<DeliveryTarget> make_https_target(const TargetConfig& config) {
    return std::make_unique<HttpsTarget>(config);
}

}  // namespace muster::central
