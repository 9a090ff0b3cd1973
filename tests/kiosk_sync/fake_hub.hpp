#pragma once
// A small fake hub (plain HTTP on loopback, one connection at a time, as the client keeps
// one alive) that answers uploads with `decide` and changes with nothing new: for the
// refusals a real server cannot be made to send on demand.
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>
#include <thread>
#include <utility>

namespace muster::test {

// Answers uploads with `decide` (status and body); changes with nothing new.
class FakeHub {
public:
    using tcp = boost::asio::ip::tcp;
    using Decide = std::function<std::pair<int, std::string>(const sync::UploadBatch&)>;
    explicit FakeHub(Decide decide) : decide_(std::move(decide)) {
        acceptor_.open(tcp::v4());
        acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeHub() {
        stopping_ = true;
        boost::system::error_code ec;
        tcp::socket poke(ioc_);
        poke.connect(acceptor_.local_endpoint(), ec);  // wakes accept()
        poke.close(ec);
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
    int uploads() const { return uploads_.load(); }
    int changes_asked() const { return changes_asked_.load(); }
    // Every upload's body as it came over the wire, oldest first.
    std::vector<std::string> upload_bodies() const {
        std::lock_guard lock(bodies_mutex_);
        return bodies_;
    }  // GET /v1/changes served (wait_ms ignored: an old hub)

private:
    void serve() {
        while (!stopping_) {
            boost::system::error_code ec;
            tcp::socket socket(ioc_);
            acceptor_.accept(socket, ec);
            if (ec || stopping_) return;
            boost::beast::flat_buffer buffer;
            for (;;) {  // one connection at a time: the client keeps one alive
                boost::beast::http::request<boost::beast::http::string_body> req;
                boost::beast::http::read(socket, buffer, req, ec);
                if (ec) break;
                boost::beast::http::response<boost::beast::http::string_body> res{boost::beast::http::status::ok, 11};
                TimeMs now = uk_time::now_ms();
                if (req.target().starts_with("/v1/upload")) {
                    {
                        std::lock_guard lock(bodies_mutex_);
                        bodies_.push_back(req.body());
                    }
                    ++uploads_;
                    auto [status, body] = decide_(sync::parse_upload_batch(req.body()));
                    res.result(static_cast<unsigned>(status));
                    res.body() = body;
                } else {
                    ++changes_asked_;
                    sync::Changes c;
                    c.server_time_ms = now;
                    res.body() = sync::to_json(c);
                }
                res.set(std::string(sync::header_server_time), std::to_string(now));
                res.set(boost::beast::http::field::content_type, "application/json");
                res.keep_alive(req.keep_alive());
                res.prepare_payload();
                boost::beast::http::write(socket, res, ec);
                if (ec || !req.keep_alive()) break;
            }
        }
    }

    Decide decide_;
    boost::asio::io_context ioc_;
    tcp::acceptor acceptor_{ioc_};
    std::atomic<bool> stopping_{false};
    std::atomic<int> uploads_{0};
    std::atomic<int> changes_asked_{0};
    mutable std::mutex bodies_mutex_;
    std::vector<std::string> bodies_;
    std::thread thread_;
};

}  // namespace muster::test
