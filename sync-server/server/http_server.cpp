#include "http_server.hpp"
#include "systemd_notify.hpp"

#include "muster/sync/request_signing.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace muster::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using sync::ErrorCode;

// Request line and headers together: ours are a few hundred bytes, so 16 KiB is generous
// and a header flood is refused with 431 before it costs memory.
constexpr std::uint32_t header_limit_bytes = 16 * 1024;
// How long a TLS connection being closed waits for the client's close_notify.
constexpr auto tls_close_timeout = std::chrono::seconds(1);
// After an early refusal (413, 431, 400) the client may still be sending its request. Closing
// with unread bytes makes the kernel send RST, which can destroy the reply before the client
// reads it; so the server stops sending, then reads and discards up to this much for up to
// this long (a lingering close), then closes.
constexpr auto linger_timeout = std::chrono::seconds(1);
constexpr std::size_t linger_bytes = 4 << 20;
constexpr std::size_t linger_chunk = 16 * 1024;
// How long a register stream keeps asking for a change its scope's snapshot has not caught up
// with yet: longer than the snapshots' longest spacing (RegisterSnapshots::max_spacing).
constexpr auto stale_give_up = std::chrono::seconds(10);

class SessionBase {
public:
    virtual ~SessionBase() = default;
    virtual void shut_down() = 0;  // from any thread
};

struct HttpServer::Impl {
    Impl(const ServerConfig& c, SyncApi& a, log::Logger& l, RegisterApi* r, ChangeFeed* f, StaffApi* s)
        : config(c), api(a), register_api(r), staff_api(s), feed(f), log(l), tls(ssl::context::tls_server), ioc(c.threads), control(asio::make_strand(ioc)),
          acceptor(control), signals(control), deadline(control) {}

    void listen();
    void accept();
    void on_accept(beast::error_code ec, tcp::socket socket);
    void begin_stop();
    void session_ended(SessionBase* s, const asio::ip::address& client);
    // Counts a connection against its address's share; false when the share is taken.
    bool claim_address_share(const asio::ip::address& client);

    // Declaration order is destruction order, reversed. Everything a session's destructor
    // touches (config, log, the session list, the counters, the TLS context its stream was
    // made from) is declared before the io_context: when the stop grace runs out, sessions
    // still waiting on I/O are destroyed with the io_context's pending handlers, and must
    // find these alive. The strand, acceptor, signals and timer are declared after it: an
    // I/O object must go before its io_context.
    ServerConfig config;
    SyncApi& api;
    RegisterApi* register_api;
    StaffApi* staff_api;  // may be null
    ChangeFeed* feed;  // may be null
    log::Logger& log;
    std::atomic<bool> stopping{false};
    // Set once run() has returned: no thread runs the io_context any more, so a session
    // destroyed from here on must not post to the control strand.
    std::atomic<bool> finished{false};
    std::atomic<std::size_t> connections{0};
    std::atomic<std::int64_t> refused_connections{0};  // over max_connections
    std::atomic<std::int64_t> refused_by_address{0};   // over one address's share
    std::size_t per_address_limit = connections_per_address(config);
    std::mutex addresses_mutex;
    std::unordered_map<asio::ip::address, std::size_t> connections_by_address;
    std::mutex sessions_mutex;
    std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
    ssl::context tls;
    asio::io_context ioc;
    // The acceptor, the signals and the stop deadline are touched only on this strand:
    // several threads run the io_context, and Asio objects are not thread-safe.
    asio::strand<asio::io_context::executor_type> control;
    tcp::acceptor acceptor;
    asio::signal_set signals;
    asio::steady_timer deadline;
};

namespace {

// The address a connection counts against: IPv4 as it is (IPv4-mapped IPv6 read as IPv4), an
// IPv6 address by its /64, since one client network gets a whole /64 to pick addresses from.
asio::ip::address address_key(const asio::ip::address& a) {
    if (!a.is_v6()) return a;
    auto v6 = a.to_v6();
    if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6);
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return asio::ip::address_v6(bytes);
}

// RFC 9112 §6: a request body is framed by Content-Length or by exactly one
// `Transfer-Encoding: chunked`, never both. Anything else (gzip, "chunked, identity", two TE
// fields) would leave the body to be read as the next request, so it is refused with 400.
std::optional<std::string> framing_problem(const http::request<http::string_body>& req) {
    auto te_fields = req.count(http::field::transfer_encoding);
    if (te_fields == 0) return std::nullopt;
    if (req.count(http::field::content_length) > 0) return "both Transfer-Encoding and Content-Length";
    if (te_fields > 1) return "more than one Transfer-Encoding field";
    auto value = req[http::field::transfer_encoding];
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (!beast::iequals(value, "chunked")) return "Transfer-Encoding other than chunked";
    return std::nullopt;
}

ApiRequest to_api_request(const http::request<http::string_body>& req) {
    ApiRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto& field : req) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // The device API's headers, and the few the register's page needs. A field sent twice
        // is kept as one list, so a second Cookie cannot slip a value past the first
        // (register_access::cookie_value_in trusts a repeated muster_register not at all).
        if (name.rfind("x-muster-", 0) == 0) {
            r.headers[name] = std::string(field.value());
        } else if (name == "cookie" || name == "content-type" || name == "origin" || name == "host" ||
                   name == "x-csrf-token" || name == "sec-fetch-site" || name == "last-event-id") {
            auto [it, fresh] = r.headers.emplace(name, std::string(field.value()));
            if (!fresh) it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
        }
    }
    r.body = req.body();
    return r;
}

http::response<http::string_body> to_http(const ApiResponse& a, unsigned version, bool keep_alive) {
    http::response<http::string_body> res{static_cast<http::status>(code_of(a.status)), version};
    res.set(http::field::server, "muster-sync-server");
    res.set(http::field::content_type, a.content_type);
    res.set(sync::header_server_time, std::to_string(a.server_time_ms));
    for (const auto& [name, value] : a.headers) res.insert(name, value);
    res.keep_alive(keep_alive);
    res.body() = a.body;
    res.prepare_payload();
    return res;
}

// One connection: reads a request (with a deadline and a body limit), answers, and reads
// the next while the client keeps the connection alive.
template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
public:
    template <class... Args>
    Session(HttpServer::Impl& server, asio::ip::address client, Args&&... args)
        : server_(server), client_(client), stream_(std::forward<Args>(args)...) {}

    ~Session() override { server_.session_ended(this, client_); }

    void start() {
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->read(); });
        } else {
            lowest().expires_after(std::chrono::milliseconds(server_.config.request_timeout_ms));
            stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (ec) {
                    self->server_.log.log(log::Level::debug, "tls_handshake_failed", {{"error", ec.message()}});
                    return self->close();
                }
                self->read();
            });
        }
    }

    void shut_down() override {
        // A request being handled finishes and is answered (then the connection closes
        // because the server is stopping); an idle connection closes now.
        asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
            if (self->events_) return self->end_stream(/*clean=*/false);  // a stream never "finishes": cut it now
            if (!self->busy_) self->lowest().cancel();
            self->end_wait();  // a long poll is answered now, not after the stop grace
        });
    }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    void read() {
        if (server_.stopping) return close();
        parser_.emplace();
        parser_->body_limit(server_.config.body_bytes);
        parser_->header_limit(header_limit_bytes);
        lowest().expires_after(std::chrono::milliseconds(server_.config.request_timeout_ms));
        // The header first, so its framing is checked before any body byte is read.
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        if (ec) return on_read(ec);
        if (auto problem = framing_problem(parser_->get()))
            return refuse(HttpStatus::bad_request, ErrorCode::bad_request, "request framing: " + *problem);
        if (parser_->is_done()) return on_read({});
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code read_ec, std::size_t) { self->on_read(read_ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted || ec == asio::error::eof ||
            ec == asio::error::connection_reset)
            return close();
        if (ec == beast::error::timeout) {
            // A slow (or idle) client: it does not hold a slot forever.
            if (buffer_.size() > 0 || (parser_ && parser_->got_some()))
                server_.log.log(log::Level::warn, "request_timeout", {{"timeout_ms", server_.config.request_timeout_ms}});
            return close();
        }
        if (ec == http::error::body_limit)
            return refuse(HttpStatus::payload_too_large, ErrorCode::too_large,
                          "body larger than " + std::to_string(server_.config.body_bytes) + " bytes");
        if (ec == http::error::header_limit)
            return refuse(HttpStatus::header_fields_too_large, ErrorCode::too_large, "request headers too large");
        if (ec.category() == http::make_error_code(http::error::bad_target).category())
            return refuse(HttpStatus::bad_request, ErrorCode::bad_request,
                          "not a valid HTTP/1.1 request (" + ec.message() + ")");
        if (ec) {
            server_.log.log(log::Level::debug, "connection_error", {{"error", ec.message()}});
            return close();
        }
        busy_ = true;
        const auto& req = parser_->get();
        ApiRequest request = to_api_request(req);
        bool keep_alive = req.keep_alive() && !server_.stopping;
        unsigned version = req.version();
        parser_.reset();  // the body was copied out: an idle kept-alive connection holds none
        request.peer = client_.to_string();
        bool for_register = server_.register_api && RegisterApi::serves(request.target);
        bool for_staff = server_.staff_api && StaffApi::serves(request.target);
        auto answer = for_register ? server_.register_api->handle(request)
                      : for_staff  ? server_.staff_api->handle(request)
                                   : server_.api.handle(request);
        if (answer.deferral) return wait_for_change(std::move(*answer.deferral), version, keep_alive);
        if (answer.stream) return start_stream(std::move(answer), version);
        respond(to_http(answer, version, keep_alive));
    }

    // A long poll (GET /v1/changes?wait_ms=, sync_api.hpp Deferral): no thread waits. The feed's
    // listener only posts to this session's strand; the timer is the wait (the request deadline
    // does not run meanwhile: no read or write is pending). Whichever comes first of a change
    // past after_change, the timer and the server stopping (shut_down) calls end_wait once.
    void wait_for_change(Deferral deferral, unsigned version, bool keep_alive) {
        // Each long poll has its number: a late wake-up meant for an earlier one on this
        // connection finds another number and does nothing.
        auto number = ++long_polls_;
        auto& poll = long_poll_.emplace(std::move(deferral), version, keep_alive, stream_.get_executor());
        if (!server_.feed || server_.stopping) return end_wait(number);
        std::weak_ptr<Session> weak = this->shared_from_this();  // weak: the session owns the subscription
        auto after = poll.deferral.after_change;
        poll.subscription = server_.feed->subscribe([weak, after, number, executor = stream_.get_executor()](std::int64_t change) {
            if (change <= after) return;
            asio::post(executor, [weak, number] {
                if (auto self = weak.lock()) self->end_wait(number);
            });
        });
        // A change published between the API's look at the store and the subscription above.
        if (server_.feed->latest() > after) return end_wait(number);
        poll.timer.expires_after(poll.deferral.wait);
        poll.timer.async_wait([self = this->shared_from_this(), number](beast::error_code) { self->end_wait(number); });
    }

    // On the strand: the wait is over; answer with what the API says now. number 0: whichever
    // is being held (the server is stopping).
    void end_wait(std::uint64_t number = 0) {
        if (!long_poll_ || long_poll_->ended || (number != 0 && number != long_polls_)) return;
        long_poll_->ended = true;
        long_poll_->subscription.reset();
        long_poll_->timer.cancel();  // its handler comes back here and returns above
        auto resume = std::move(long_poll_->deferral.resume);
        bool keep_alive = long_poll_->keep_alive && !server_.stopping;
        unsigned version = long_poll_->version;
        auto answer = resume();
        respond(to_http(answer, version, keep_alive));
    }

    void refuse(HttpStatus status, ErrorCode code, const std::string& why) {
        server_.log.log(log::Level::warn, "bad_http",
                        {{"status", code_of(status)}, {"code", sync::to_string(code)}, {"reason", why}});
        busy_ = true;
        auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        auto reply = error_response(status, code, why, now);
        if (parser_ && server_.register_api && RegisterApi::serves(parser_->get().target())) {
            reply.content_type = "application/json; charset=utf-8";
            reply.headers = register_security_headers();
        } else if (parser_ && server_.staff_api && StaffApi::serves(parser_->get().target())) {
            reply.content_type = "application/json; charset=utf-8";
            reply.headers = staff_security_headers();
        }
        // The client may still be sending the rest of what was refused: linger before closing.
        respond(to_http(reply, 11, false), /*linger=*/true);
    }

    void respond(http::response<http::string_body> res, bool linger = false) {
        response_ = std::move(res);
        // A large reply gets time in proportion to its size (docs/api.md, "HTTP").
        lowest().expires_after(reply_deadline(server_.config, response_->body().size()));
        http::async_write(stream_, *response_, [self = this->shared_from_this(), linger](beast::error_code ec, std::size_t) {
            self->busy_ = false;
            bool again = !ec && self->response_->keep_alive();
            self->response_.reset();
            if (again) {
                // Idle until the next request: give back what a large request or reply grew.
                if (self->buffer_.size() == 0) self->buffer_.shrink_to_fit();
                return self->read();
            }
            if (linger && !ec) return self->linger();
            self->close();
        });
    }

    // A lingering close: the reply is out; stop sending, discard what the client still sends
    // (at most linger_bytes, for at most linger_timeout), then close.
    void linger() {
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            drain_socket();
        } else {
            // close_notify first (waiting for the client's for at most tls_close_timeout), then
            // the raw socket is drained like a plain one.
            lowest().expires_after(tls_close_timeout);
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->drain_socket(); });
        }
    }

    void drain_socket() {
        closed_ = true;
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        lowest().expires_after(linger_timeout);
        buffer_.clear();
        drain();
    }

    void drain() {
        lowest().async_read_some(buffer_.prepare(linger_chunk),
                                 [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                                     self->drained_ += n;
                                     if (ec || self->drained_ >= linger_bytes) {
                                         beast::error_code ignored;
                                         self->lowest().socket().close(ignored);
                                         return;
                                     }
                                     self->drain();
                                 });
    }

    void close() {
        if (closed_) return;
        closed_ = true;
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            beast::error_code ignored;
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
            stream_.socket().close(ignored);
        } else {
            lowest().expires_after(tls_close_timeout);
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
                beast::error_code ignored;
                self->lowest().socket().close(ignored);
            });
        }
    }

    // ---- Server-Sent Events (event_stream.hpp; docs/register.md, "Live updates") ----
    // Entered from on_read when the API's reply is a stream; from then on the connection only
    // writes: the events, one at a time, each the newest change when the previous write is done
    // (coalesced, never a backlog). Everything runs on this connection's strand; the feed's
    // listener only posts here.
    //
    // Framing: HTTP/1.1 chunked. Chromium's and WebKit's EventSource both parse a chunked body
    // as it arrives (it is how every HTTP/1.1 streaming server sends), and its zero-length last
    // chunk lets the browser tell a stream the server ended (a withdrawn session) from a cut
    // connection; a close-delimited body cannot say that, and intermediaries that buffer a body
    // of unknown length treat chunks as the unit to pass on. An HTTP/1.0 client gets a
    // close-delimited body (it cannot read chunks). The connection is not reused after a stream.
    struct EventStream {
        std::shared_ptr<EventStreamSource> source;
        ChangeFeed::Subscription subscription;
        std::optional<asio::steady_timer> heartbeat;
        std::optional<asio::steady_timer> pace;  // holds the next event until stream_min_interval_ms has passed
        std::chrono::steady_clock::time_point last_event{};
        bool pacing = false;
        int stale_turns = 0;  // turns in a row the source had nothing newer than `sent`
        std::int64_t sent = -1;    // the newest change the client was sent (or had, by Last-Event-ID)
        std::int64_t wanted = -1;  // the newest change heard of
        bool chunked = true;
        bool writing = false;
        bool ended = false;
        std::string head;  // the status and headers (first write only), then the chunk's size line
        std::shared_ptr<const std::string> text;  // the write in flight
        std::size_t in_flight = 0;
        std::array<char, 256> discard{};  // what the client sends after its request: read and dropped
    };

    static std::shared_ptr<const std::string> keep_alive_comment() {
        static const auto text = std::make_shared<const std::string>(": keep-alive\n\n");
        return text;
    }

    void start_stream(ApiResponse answer, unsigned version) {
        if (!server_.feed || server_.stopping) {
            auto now = answer.server_time_ms;
            return respond(to_http(error_response(HttpStatus::service_unavailable, ErrorCode::unavailable,
                                                  "live updates are not available now; retry", now),
                                   version, false));
        }
        events_ = std::make_unique<EventStream>();
        auto& es = *events_;
        es.source = std::move(answer.stream);
        es.chunked = version >= 11;
        es.heartbeat.emplace(stream_.get_executor());
        es.pace.emplace(stream_.get_executor());
        std::string head = version >= 11 ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.0 200 OK\r\n";
        head += "Server: muster-sync-server\r\nContent-Type: " + answer.content_type + "\r\n";
        head += std::string(sync::header_server_time) + ": " + std::to_string(answer.server_time_ms) + "\r\n";
        for (const auto& [name, value] : answer.headers) head += name + ": " + value + "\r\n";
        if (es.chunked) head += "Transfer-Encoding: chunked\r\n";
        head += "Connection: close\r\n\r\n";

        // Subscribe before reading latest(): a change published in between is then heard, not lost.
        std::weak_ptr<Session> weak = this->shared_from_this();
        es.subscription = server_.feed->subscribe([weak, ex = stream_.get_executor()](std::int64_t change) {
            auto self = weak.lock();
            if (!self) return;
            // Moved into the handler: the last reference never drops here, inside the feed's call.
            asio::post(ex, [self = std::move(self), change] { self->stream_changed(change); });
        });
        es.wanted = server_.feed->latest();
        if (es.source->resume_from() == es.wanted) es.sent = es.wanted;  // up to date: nothing until the next change
        server_.log.log(log::Level::debug, "stream_opened", {{"change", es.wanted}});

        // The client's side is watched before the first write: the read then keeps no deadline
        // (expires_after below applies to the write alone, the read being pending).
        lowest().expires_never();
        stream_watch_client();
        stream_send(std::make_shared<const std::string>(es.source->opening()), std::move(head));
    }

    void stream_changed(std::int64_t change) {
        if (!events_ || events_->ended || change <= events_->wanted) return;
        events_->wanted = change;
        if (events_->writing && stream_over_cap()) return;
        stream_pump();
    }

    // The next event, if the client is behind and no write is in flight.
    void stream_pump() {
        auto& es = *events_;
        if (es.ended || es.writing || es.pacing || es.wanted <= es.sent) return;
        if (stream_over_cap()) return;
        auto due = es.last_event + std::chrono::milliseconds(server_.config.stream_min_interval_ms);
        if (std::chrono::steady_clock::now() < due) {
            // Too soon after the last event: the newest change goes out when the interval is up.
            es.pacing = true;
            es.pace->expires_at(due);
            es.pace->async_wait([self = this->shared_from_this()](beast::error_code ec) {
                if (ec || !self->events_ || self->events_->ended) return;
                self->events_->pacing = false;
                self->stream_pump();
            });
            return;
        }
        std::optional<StreamEvent> event;
        try {
            if (!es.source->allowed()) return end_stream(/*clean=*/true);
            event = es.source->event(es.wanted);
        } catch (const std::exception& e) {
            server_.log.log(log::Level::warn, "stream_error", {{"error", e.what()}});
            return end_stream(/*clean=*/true);  // the browser reconnects after `retry`
        }
        if (!event) return end_stream(/*clean=*/true);
        es.last_event = std::chrono::steady_clock::now();
        if (event->id > es.sent) {
            es.sent = event->id;
            es.stale_turns = 0;
            return stream_send(std::move(event->text));
        }
        // Nothing newer than what the client has yet (the scope's snapshot is being spaced out
        // during a busy ingest, register_snapshots.hpp): ask again at the next turn, for up to
        // stale_give_up (a clock behind the feed's must not keep a stream asking for ever).
        auto turns = stale_give_up / std::chrono::milliseconds(std::max(server_.config.stream_min_interval_ms, 1));
        if (++es.stale_turns > std::max<std::int64_t>(turns, 4)) es.sent = es.wanted;
        stream_pump();
    }

    void stream_send(std::shared_ptr<const std::string> text, std::string head = {}) {
        static constexpr std::string_view crlf = "\r\n";
        auto& es = *events_;
        es.head = std::move(head);
        if (es.chunked) {
            std::array<char, 20> hex{};
            auto [end, ec] = std::to_chars(hex.data(), hex.data() + hex.size(), text->size(), 16);
            es.head.append(hex.data(), end).append(crlf);
        }
        es.text = std::move(text);
        es.in_flight = es.head.size() + es.text->size() + crlf.size();
        es.writing = true;
        lowest().expires_after(reply_deadline(server_.config, es.in_flight));
        std::array<asio::const_buffer, 3> buffers{asio::buffer(es.head), asio::buffer(*es.text),
                                                  asio::buffer(crlf.data(), es.chunked ? crlf.size() : 0)};
        asio::async_write(stream_, buffers, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_stream_sent(ec);
        });
    }

    void on_stream_sent(beast::error_code ec) {
        auto& es = *events_;
        es.writing = false;
        es.text.reset();
        es.in_flight = 0;
        if (es.ended) return;
        if (ec) {
            if (ec == beast::error::timeout)
                server_.log.log(log::Level::warn, "stream_cut",
                                {{"reason", "write_timeout"}, {"timeout_ms", server_.config.request_timeout_ms}});
            return end_stream(/*clean=*/false);
        }
        lowest().expires_never();
        stream_arm_heartbeat();
        stream_pump();
    }

    void stream_arm_heartbeat() {
        auto& timer = *events_->heartbeat;
        timer.expires_after(std::chrono::milliseconds(server_.config.stream_heartbeat_ms));
        timer.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (ec || !self->events_ || self->events_->ended || self->events_->writing) return;
            self->on_stream_idle();
        });
    }

    // No event for stream_heartbeat_ms: the session is checked (a withdrawn link's stream ends
    // within one interval even when nothing changes), then a comment keeps the line warm.
    void on_stream_idle() {
        try {
            if (!events_->source->allowed()) return end_stream(/*clean=*/true);
        } catch (const std::exception& e) {
            server_.log.log(log::Level::warn, "stream_error", {{"error", e.what()}});
        }
        if (stream_over_cap()) return;
        stream_send(keep_alive_comment());
    }

    // A read kept pending for the whole stream: its end is the client going away (the tab
    // closed, the tablet asleep and its connection reset), which a writer alone would notice
    // only at its next write.
    void stream_watch_client() {
        stream_.async_read_some(asio::buffer(events_->discard),
                                [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                    if (!self->events_ || self->events_->ended) return;
                                    if (ec) return self->end_stream(/*clean=*/false);
                                    self->stream_watch_client();
                                });
    }

    // The bytes this client has not taken yet: the kernel's send queue for the socket (sent but
    // not acknowledged, or not sent for a full window) and the write in flight. Over the cap
    // the client does not keep up: it is disconnected, not buffered for (it reconnects and gets
    // one snapshot). Returns true when it cut the stream.
    bool stream_over_cap() {
        int unacked = 0;
        if (::ioctl(lowest().socket().native_handle(), SIOCOUTQ, &unacked) != 0) unacked = 0;
        auto queued = static_cast<std::size_t>(std::max(unacked, 0)) + events_->in_flight;
        if (queued <= server_.config.stream_queue_bytes) return false;
        server_.log.log(log::Level::warn, "stream_cut",
                        {{"reason", "client_too_slow"}, {"queued_bytes", queued},
                         {"stream_queue_bytes", server_.config.stream_queue_bytes}});
        end_stream(/*clean=*/false);
        return true;
    }

    // clean: the server ends the stream (the session withdrawn or expired, the scope gone): the
    // last chunk says the body is complete, then the connection closes; the browser reconnects
    // after `retry`, is refused with 401/403, and the page says why. Otherwise (server stopping,
    // client gone or too slow) the connection is closed at once.
    void end_stream(bool clean) {
        auto& es = *events_;
        if (es.ended) return;
        es.ended = true;
        es.subscription.reset();
        es.heartbeat->cancel();
        es.pace->cancel();
        server_.log.log(log::Level::debug, "stream_closed", {{"clean", clean}, {"change", es.sent}});
        if (clean && es.chunked && !es.writing) {
            static constexpr std::string_view last_chunk = "0\r\n\r\n";
            lowest().expires_after(tls_close_timeout);
            asio::async_write(stream_, asio::buffer(last_chunk.data(), last_chunk.size()),
                              [self = this->shared_from_this()](beast::error_code, std::size_t) { self->cut(); });
            return;
        }
        cut();
    }

    // Closes the socket without a TLS close_notify: a stream's read is pending, and the
    // browser's EventSource needs nothing more than the connection's end.
    void cut() {
        closed_ = true;
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest().close();
    }

    HttpServer::Impl& server_;
    asio::ip::address client_;  // the address key it counts against (see address_key)
    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<http::response<http::string_body>> response_;
    // The long poll being held, if any (wait_for_change); kept until the next one so that
    // the timer's handler, which runs after end_wait, finds it.
    struct LongPoll {
        LongPoll(Deferral d, unsigned v, bool k, const typename Stream::executor_type& executor)
            : deferral(std::move(d)), version(v), keep_alive(k), timer(executor) {}
        Deferral deferral;
        unsigned version;
        bool keep_alive;
        asio::steady_timer timer;
        ChangeFeed::Subscription subscription;
        bool ended = false;
    };
    std::optional<LongPoll> long_poll_;
    std::uint64_t long_polls_ = 0;  // long polls held on this connection so far
    std::size_t drained_ = 0;
    bool busy_ = false;
    bool closed_ = false;
    std::unique_ptr<EventStream> events_;  // set once the connection carries a stream
};

}  // namespace

void HttpServer::Impl::listen() {
    if (config.tls) {
        tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        tls.use_certificate_chain_file(config.certificate.string());
        tls.use_private_key_file(config.private_key.string(), ssl::context::pem);
    }
    auto address = asio::ip::make_address(config.listen == "localhost" ? "127.0.0.1" : config.listen);
    tcp::endpoint endpoint(address, config.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
}

void HttpServer::Impl::accept() {
    acceptor.async_accept(asio::make_strand(ioc),
                          [this](beast::error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping) return;
    asio::ip::address client;
    if (!ec) {
        beast::error_code peer_ec;
        auto peer = socket.remote_endpoint(peer_ec);
        if (peer_ec) ec = peer_ec;  // already gone
        else client = address_key(peer.address());
    }
    if (!ec) {
        bool over_all = connections >= config.max_connections;
        if (over_all || !claim_address_share(client)) {
            // Over the limit: close at once rather than queue; the device retries with backoff.
            // Logged once in a hundred of each kind, so a flood cannot flood the log.
            auto refused = ++(over_all ? refused_connections : refused_by_address);
            if (refused % 100 == 1)
                log.log(log::Level::warn, "connection_limit",
                        {{"limit", over_all ? "all" : "address"}, {"max_connections", config.max_connections},
                         {"max_connections_per_address", per_address_limit}, {"refused_so_far", refused}});
            beast::error_code ignored;
            socket.close(ignored);
        } else {
            ++connections;
            // Request and reply are one exchange each way: never hold a segment back for
            // Nagle (with TLS it met the client's delayed ACK and cost 40 ms a request).
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::shared_ptr<SessionBase> session;
            if (config.tls) {
                auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, client, std::move(socket), tls);
                session = s;
                std::lock_guard lock(sessions_mutex);
                sessions[s.get()] = s;
                s->start();
            } else {
                auto s = std::make_shared<Session<beast::tcp_stream>>(*this, client, std::move(socket));
                session = s;
                std::lock_guard lock(sessions_mutex);
                sessions[s.get()] = s;
                s->start();
            }
        }
    } else {
        log.log(log::Level::warn, "accept_failed", {{"error", ec.message()}});
    }
    accept();
}

bool HttpServer::Impl::claim_address_share(const asio::ip::address& client) {
    std::lock_guard lock(addresses_mutex);
    auto& n = connections_by_address[client];
    if (n >= per_address_limit) {
        if (n == 0) connections_by_address.erase(client);
        return false;
    }
    ++n;
    return true;
}

void HttpServer::Impl::session_ended(SessionBase* s, const asio::ip::address& client) {
    {
        std::lock_guard lock(sessions_mutex);
        sessions.erase(s);
    }
    {
        std::lock_guard lock(addresses_mutex);
        auto it = connections_by_address.find(client);
        if (it != connections_by_address.end() && --it->second == 0) connections_by_address.erase(it);
    }
    if (--connections == 0 && stopping && !finished) asio::post(control, [this] { deadline.cancel(); });
}

void HttpServer::Impl::begin_stop() {
    if (stopping.exchange(true)) return;
    systemd_notify("STOPPING=1");  // systemctl status says "deactivating" while requests finish
    log.notice("stopping", {{"open_connections", connections.load()}});
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    std::vector<std::shared_ptr<SessionBase>> live;
    {
        std::lock_guard lock(sessions_mutex);
        for (auto& [ptr, weak] : sessions)
            if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->shut_down();
    deadline.expires_after(std::chrono::milliseconds(config.stop_grace_ms));
    deadline.async_wait([this](beast::error_code ec) {
        if (ec == asio::error::operation_aborted) return;
        log.log(log::Level::warn, "stop_deadline",
                {{"cut_connections", connections.load()}, {"stop_grace_ms", config.stop_grace_ms}});
        ioc.stop();
    });
    if (connections == 0) deadline.cancel();
}

HttpServer::HttpServer(const ServerConfig& config, SyncApi& api, log::Logger& log, RegisterApi* register_api,
                       ChangeFeed* feed, StaffApi* staff_api)
    : impl_(std::make_unique<Impl>(config, api, log, register_api, feed, staff_api)) {
    impl_->listen();
}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run(bool handle_signals) {
    auto& s = *impl_;
    if (handle_signals) {
        s.signals.add(SIGTERM);
        s.signals.add(SIGINT);
        s.signals.async_wait([&s](beast::error_code ec, int signal) {
            if (ec) return;
            s.log.log(log::Level::info, "signal", {{"signal", signal}});
            s.begin_stop();
        });
    }
    s.log.notice("listening",
              {{"address", s.config.listen}, {"port", static_cast<int>(port())}, {"tls", s.config.tls},
               {"threads", s.config.threads}, {"body_bytes", s.config.body_bytes},
               {"request_timeout_ms", s.config.request_timeout_ms}, {"max_connections", s.config.max_connections},
               {"max_connections_per_address", s.per_address_limit}, {"min_reply_bytes_per_s", s.config.min_reply_bytes_per_s},
               {"stop_grace_ms", s.config.stop_grace_ms}});
    s.accept();
    // Type=notify under systemd: the socket is bound and accepting, so units ordered after
    // this one (and `systemctl start`) may go on. Nothing happens outside systemd.
    if (systemd_notify("READY=1")) s.log.debug("systemd_notified", {{"state", "ready"}});
    std::vector<std::thread> extra;
    for (int i = 1; i < s.config.threads; ++i) extra.emplace_back([&s] { s.ioc.run(); });
    s.ioc.run();
    for (auto& t : extra) t.join();
    s.finished = true;
    s.log.notice("stopped", {});
}

void HttpServer::stop() {
    asio::post(impl_->control, [this] { impl_->begin_stop(); });
}

}  // namespace muster::server
