#include "load_generator.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <vector>

namespace muster::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct LoadGenerator::Impl {
    Impl(unsigned short p, const std::string& ca) : port(p), tls(ssl::context::tls_client), use_tls(!ca.empty()) {
        if (use_tls) {
            tls.set_verify_mode(ssl::verify_peer);
            tls.load_verify_file(ca);
        }
    }
    unsigned short port;
    asio::io_context ioc;
    ssl::context tls;
    bool use_tls;
    LoadStats stats;
    std::vector<std::function<void()>> starters;
};

namespace {

template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
public:
    template <class... A>
    Connection(LoadGenerator::Impl& g, std::function<std::optional<LoadRequest>()> next,
               std::function<void(int, const std::string&)> on_reply, A&&... a)
        : g_(g), next_(std::move(next)), on_reply_(std::move(on_reply)), stream_(std::forward<A>(a)...), timer_(g.ioc) {}

    void start() {
        auto self = this->shared_from_this();
        beast::get_lowest_layer(stream_).async_connect(
            tcp::endpoint(asio::ip::make_address("127.0.0.1"), g_.port), [self](beast::error_code ec) {
                if (ec) return self->fail();
                beast::error_code ignored;
                beast::get_lowest_layer(self->stream_).socket().set_option(tcp::no_delay(true), ignored);
                if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
                    self->send_next();
                } else {
                    SSL_set_tlsext_host_name(self->stream_.native_handle(), "localhost");
                    self->stream_.async_handshake(ssl::stream_base::client, [self](beast::error_code hec) {
                        if (hec) return self->fail();
                        self->send_next();
                    });
                }
            });
    }

private:
    void send_next() {
        auto r = next_();
        if (!r) return;
        auto self = this->shared_from_this();
        auto send = [self, req = std::move(*r)]() mutable {
            self->req_ = {http::string_to_verb(req.method), req.target, 11};
            self->req_.set(http::field::host, "localhost");
            self->req_.set(http::field::content_type, "application/json");
            for (auto& [k, v] : req.headers) self->req_.set(k, v);
            self->req_.body() = std::move(req.body);
            self->req_.prepare_payload();
            self->req_.keep_alive(true);
            http::async_write(self->stream_, self->req_, [self](beast::error_code ec, std::size_t) {
                if (ec) return self->fail();
                self->res_ = {};
                http::async_read(self->stream_, self->buffer_, self->res_, [self](beast::error_code rec, std::size_t) {
                    if (rec) return self->fail();
                    ++self->g_.stats.requests;
                    int status = static_cast<int>(self->res_.result_int());
                    if (status / 100 == 2) ++self->g_.stats.ok;
                    else ++self->g_.stats.failed;
                    if (self->on_reply_) self->on_reply_(status, self->res_.body());
                    self->send_next();
                });
            });
        };
        if (r->pause_before.count() > 0) {
            timer_.expires_after(r->pause_before);
            timer_.async_wait([send = std::move(send)](beast::error_code ec) mutable {
                if (!ec) send();
            });
        } else {
            send();
        }
    }

    void fail() { ++g_.stats.failed; }

    LoadGenerator::Impl& g_;
    std::function<std::optional<LoadRequest>()> next_;
    std::function<void(int, const std::string&)> on_reply_;
    Stream stream_;
    asio::steady_timer timer_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> req_;
    http::response<http::string_body> res_;
};

}  // namespace

LoadGenerator::LoadGenerator(unsigned short port, const std::string& tls_ca) : impl_(std::make_unique<Impl>(port, tls_ca)) {}
LoadGenerator::~LoadGenerator() = default;

void LoadGenerator::add_connection(std::function<std::optional<LoadRequest>()> next,
                                   std::function<void(int, const std::string&)> on_reply) {
    if (impl_->use_tls) {
        auto c = std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(*impl_, std::move(next), std::move(on_reply),
                                                                                   impl_->ioc, impl_->tls);
        impl_->starters.push_back([c] { c->start(); });
    } else {
        auto c = std::make_shared<Connection<beast::tcp_stream>>(*impl_, std::move(next), std::move(on_reply), impl_->ioc);
        impl_->starters.push_back([c] { c->start(); });
    }
}

LoadStats LoadGenerator::run(std::chrono::milliseconds limit) {
    for (auto& s : impl_->starters) s();
    impl_->starters.clear();
    impl_->ioc.run_for(limit);
    return impl_->stats;
}

}  // namespace muster::bench
