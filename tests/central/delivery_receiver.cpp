#include "delivery_receiver.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <thread>

namespace muster::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace json = boost::json;
using tcp = asio::ip::tcp;

ReceiverReply created_reply(const ReceivedRequest& request) {
    json::array results;
    int n = 0;
    for (const auto& k : request.keys)
        results.push_back(json::object{{"idempotency_key", k}, {"status", "created"}, {"id", "crm-" + std::to_string(++n)}});
    return {200, json::serialize(json::object{{"results", std::move(results)}}), {}, {}};
}

struct DeliveryReceiver::Impl {
    Handler handler;
    asio::io_context ioc;
    std::optional<ssl::context> tls;
    tcp::acceptor acceptor{ioc};
    unsigned short port = 0;
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::vector<ReceivedRequest> received;
    std::vector<int> open_sockets;
    bool stopping = false;
    std::thread accepting;
    std::vector<std::thread> connections;

    void serve(tcp::socket socket) {
        const int fd = socket.native_handle();
        {
            std::lock_guard lock(mutex);
            if (stopping) return;
            open_sockets.push_back(fd);
        }
        if (tls) {
            ssl::stream<tcp::socket> stream(std::move(socket), *tls);
            beast::error_code ec;
            stream.handshake(ssl::stream_base::server, ec);
            if (!ec) exchange(stream);
        } else {
            exchange(socket);
        }
        std::lock_guard lock(mutex);
        std::erase(open_sockets, fd);
    }

    template <class Stream>
    void exchange(Stream& stream) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            beast::error_code ec;
            http::read(stream, buffer, req, ec);
            if (ec) return;
            ReceivedRequest r;
            r.target = std::string(req.target());
            for (const auto& h : req) {
                std::string name(h.name_string());
                for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                r.headers[name] = std::string(h.value());
            }
            r.body = req.body();
            boost::system::error_code jec;
            auto doc = json::parse(r.body, jec);
            if (!jec && doc.is_object())
                if (auto* records = doc.as_object().if_contains("records"); records && records->is_array())
                    for (const auto& rec : records->as_array())
                        if (rec.is_object())
                            if (auto* k = rec.as_object().if_contains("idempotency_key"); k && k->is_string())
                                r.keys.emplace_back(k->as_string());
            std::size_t n;
            {
                std::lock_guard lock(mutex);
                n = received.size();
                received.push_back(r);
                changed.notify_all();
            }
            ReceiverReply reply = handler(r, n);
            if (reply.hold.count() > 0) {
                std::unique_lock lock(mutex);
                changed.wait_for(lock, reply.hold, [&] { return stopping; });
            }
            http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
            res.set(http::field::content_type, "application/json");
            for (const auto& [k, v] : reply.headers) res.set(k, v);
            res.body() = reply.body;
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            http::write(stream, res, ec);
            if (ec || !res.keep_alive()) return;
        }
    }
};

DeliveryReceiver::DeliveryReceiver(Handler handler, std::optional<std::pair<std::filesystem::path, std::filesystem::path>> tls)
    : impl_(std::make_unique<Impl>()) {
    auto& s = *impl_;
    s.handler = std::move(handler);
    if (tls) {
        s.tls.emplace(ssl::context::tls_server);
        s.tls->use_certificate_chain_file(tls->first.string());
        s.tls->use_private_key_file(tls->second.string(), ssl::context::pem);
    }
    tcp::endpoint at(asio::ip::make_address("127.0.0.1"), 0);
    s.acceptor.open(at.protocol());
    s.acceptor.set_option(asio::socket_base::reuse_address(true));
    s.acceptor.bind(at);
    s.acceptor.listen();
    s.port = s.acceptor.local_endpoint().port();
    s.accepting = std::thread([&s] {
        for (;;) {
            beast::error_code ec;
            tcp::socket socket(s.ioc);
            s.acceptor.accept(socket, ec);
            std::lock_guard lock(s.mutex);
            if (s.stopping) return;
            if (ec) continue;
            s.connections.emplace_back([&s, sock = std::move(socket)]() mutable { s.serve(std::move(sock)); });
        }
    });
}

DeliveryReceiver::~DeliveryReceiver() {
    auto& s = *impl_;
    {
        std::lock_guard lock(s.mutex);
        s.stopping = true;
        for (int fd : s.open_sockets) ::shutdown(fd, SHUT_RDWR);  // unblocks their reads
        s.changed.notify_all();
    }
    // Unblocks accept with a connection of our own.
    beast::error_code ec;
    tcp::socket poke(s.ioc);
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port), ec);
    s.accepting.join();
    for (auto& t : s.connections) t.join();
}

unsigned short DeliveryReceiver::port() const { return impl_->port; }

std::string DeliveryReceiver::url(const std::string& path) const {
    return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port) + path;
}

std::vector<ReceivedRequest> DeliveryReceiver::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received;
}

bool DeliveryReceiver::wait_until(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
                                  std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return done(impl_->received); });
}

}  // namespace muster::test
