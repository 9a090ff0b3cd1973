#include "http_client.hpp"

#include "muster/sync/request_signing.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace muster::kiosk {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// One name lookup, shared between the requesting thread and the thread doing it.
struct Lookup {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    beast::error_code ec;
    tcp::resolver::results_type results;
};

struct HttpClient::Impl {
    asio::io_context ioc;
    ssl::context tls{ssl::context::tls_client};
    bool use_tls = false;
    std::string host, port;
    std::chrono::milliseconds timeout;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;
    std::atomic<bool> cancelled{false};
    std::function<void(bool)> in_flight_hook;

    bool connected() const { return plain.has_value() || secure.has_value(); }
    beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

    // Runs the queued asynchronous work to completion (each step has its own deadline).
    // cancel() sets the flag before it stops the context, so whichever comes first, a
    // cancelled request never runs on: a stopped run() leaves its handler uncalled and `ec`
    // unset, hence every caller checks was_cancelled() right after.
    void run() {
        ioc.restart();
        if (cancelled) return;
        ioc.run();
    }
    bool was_cancelled() const { return cancelled.load(); }

    // getaddrinfo cannot be interrupted, and a name such as hub.local (mDNS) whose hub is
    // switched off can take seconds to fail: it runs on a thread of its own, which this
    // stops waiting for at the deadline or on cancel() (the thread ends on its own later).
    std::string resolve(tcp::resolver::results_type& out) {
        auto lookup = std::make_shared<Lookup>();
        std::thread([lookup, h = host, p = port] {
            asio::io_context own;
            tcp::resolver resolver(own);
            beast::error_code e;
            auto results = resolver.resolve(h, p, e);
            std::lock_guard lock(lookup->mutex);
            lookup->ec = e;
            lookup->results = std::move(results);
            lookup->done = true;
            lookup->done_cv.notify_all();
        }).detach();
        auto deadline = std::chrono::steady_clock::now() + timeout;
        std::unique_lock lock(lookup->mutex);
        while (!lookup->done) {
            if (cancelled) return "cancelled";
            if (std::chrono::steady_clock::now() >= deadline) return "cannot resolve " + host + ": timed out";
            lookup->done_cv.wait_for(lock, std::chrono::milliseconds(20));  // cancel() is seen within 20 ms
        }
        if (lookup->ec) return "cannot resolve " + host + ": " + lookup->ec.message();
        out = lookup->results;
        return "";
    }

    std::string connect() {
        beast::error_code ec;
        tcp::resolver::results_type endpoints;
        if (auto err = resolve(endpoints); !err.empty()) return err;
        if (use_tls) {
            secure.emplace(ioc, tls);
            if (!SSL_set_tlsext_host_name(secure->native_handle(), host.c_str())) return "cannot set TLS server name";
            secure->set_verify_callback(ssl::host_name_verification(host));
        } else {
            plain.emplace(ioc);
        }
        lowest().expires_after(timeout);
        lowest().async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
        run();
        if (was_cancelled()) return "cancelled";
        if (ec) return "cannot connect to " + host + ":" + port + ": " + ec.message();
        lowest().socket().set_option(tcp::no_delay(true), ec);  // one request, one reply: no Nagle wait
        if (use_tls) {
            lowest().expires_after(timeout);
            secure->async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
            run();
            if (was_cancelled()) return "cancelled";
            if (ec) return "TLS handshake with " + host + " failed (is it the hub's server?): " + ec.message();
        }
        return "";
    }

    template <class Stream>
    std::string exchange(Stream& stream, http::request<http::string_body>& req, http::response<http::string_body>& res) {
        beast::error_code ec;
        lowest().expires_after(timeout);
        http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
        run();
        if (was_cancelled()) return "cancelled";
        if (ec) return "sending: " + ec.message();
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        lowest().expires_after(timeout);
        http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
        run();
        if (was_cancelled()) return "cancelled";
        if (ec) return "waiting for the reply: " + ec.message();
        res = parser.release();
        return "";
    }

    void drop() {
        beast::error_code ignored;
        if (plain) plain->socket().close(ignored);
        if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
        plain.reset();
        secure.reset();
        buffer.clear();
    }
};

HttpClient::HttpClient(const std::string& url, const std::filesystem::path& pinned_certificate,
                       std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
    impl_->timeout = timeout;
    std::string rest;
    if (url.rfind("https://", 0) == 0) {
        impl_->use_tls = true;
        rest = url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else {
        throw std::invalid_argument("server url must start with https:// or http://");
    }
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    auto colon = rest.rfind(':');
    if (colon == std::string::npos || rest.find('/') != std::string::npos)
        throw std::invalid_argument("server url must be scheme://host:port, e.g. https://hub.local:8443");
    impl_->host = rest.substr(0, colon);
    impl_->port = rest.substr(colon + 1);
    if (impl_->host.empty() || impl_->port.empty()) throw std::invalid_argument("server url has no host or port");
    if (impl_->use_tls) {
        impl_->tls.set_options(ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
        impl_->tls.set_verify_mode(ssl::verify_peer);
        try {
            impl_->tls.load_verify_file(pinned_certificate.string());  // the hub's certificate, and nothing else
        } catch (const boost::system::system_error& e) {
            throw std::invalid_argument("server.certificate: cannot read " + pinned_certificate.string() + ": " + e.what());
        }
    }
}

HttpClient::~HttpClient() = default;

void HttpClient::disconnect() { impl_->drop(); }

void HttpClient::on_request(std::function<void(bool in_flight)> hook) { impl_->in_flight_hook = std::move(hook); }

void HttpClient::cancel() {
    impl_->cancelled = true;
    impl_->ioc.stop();  // thread-safe; the socket is closed by the requesting thread (drop)
}

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::map<std::string, std::string>& headers, const std::string& body) {
    auto& s = *impl_;
    HttpResult out;
    if (s.was_cancelled()) {
        out.error = "cancelled";
        return out;
    }
    // Reports the request in flight until request() returns, whichever way it returns.
    struct InFlight {
        const std::function<void(bool)>& hook;
        explicit InFlight(const std::function<void(bool)>& h) : hook(h) {
            if (hook) hook(true);
        }
        ~InFlight() {
            if (hook) hook(false);
        }
        InFlight(const InFlight&) = delete;
        InFlight& operator=(const InFlight&) = delete;
    } in_flight(s.in_flight_hook);
    out.reused_connection = s.connected();
    if (!s.connected()) {
        if (auto err = s.connect(); !err.empty()) {
            s.drop();
            out.error = err;
            return out;
        }
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, s.host);
    req.set(http::field::user_agent, "muster-kiosk");
    req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    req.keep_alive(true);
    http::response<http::string_body> res;
    std::string err = s.secure ? s.exchange(*s.secure, req, res) : s.exchange(*s.plain, req, res);
    if (!err.empty()) {
        s.drop();
        out.error = err;
        return out;
    }
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    auto t = res.find(sync::header_server_time);
    if (t != res.end()) {
        try {
            out.server_time_ms = std::stoll(std::string(t->value()));
        } catch (const std::exception&) {
        }
    }
    if (!res.keep_alive()) s.drop();
    return out;
}

}  // namespace muster::kiosk
