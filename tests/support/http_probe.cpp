#include "http_probe.hpp"

#include "muster/time/uk_time.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace muster::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

HttpReply http_request(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
                       const std::map<std::string, std::string>& headers, std::chrono::milliseconds timeout) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    HttpReply out;
    stream.expires_after(timeout);
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec) return;
        http::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
            if (wec) return;
            http::async_read(stream, buffer, parser, [&](beast::error_code rec, std::size_t) {
                if (rec) return;
                const auto& res = parser.get();
                out.status = static_cast<int>(res.result_int());
                out.body = res.body();
                for (const auto& f : res) {
                    std::string name(f.name_string());
                    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    out.headers[name] = std::string(f.value());
                }
            });
        });
    });
    ioc.run();
    return out;
}

HttpReply signed_request(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
                         const SignedParts& p, std::map<std::string, std::string>* sent_headers) {
    TimeMs time = p.time.value_or(uk_time::now_ms());
    std::string nonce = p.nonce.value_or(sync::random_nonce());
    std::map<std::string, std::string> h = {
        {std::string(sync::header_device), p.device},
        {std::string(sync::header_time), std::to_string(time)},
        {std::string(sync::header_nonce), nonce},
        {std::string(sync::header_signature),
         sync::sign_request(p.secret, method, target, time, nonce, p.sign_body.value_or(body))}};
    if (sent_headers) *sent_headers = h;
    return http_request(port, method, target, body, h);
}

std::string raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout);
    std::string received;
    std::array<char, 4096> buf{};
    std::function<void()> read_more = [&] {
        stream.async_read_some(asio::buffer(buf), [&](beast::error_code ec, std::size_t n) {
            received.append(buf.data(), n);
            if (!ec) read_more();
        });
    };
    stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec) return;
        asio::async_write(stream, asio::buffer(bytes), [&](beast::error_code wec, std::size_t) {
            if (!wec) read_more();
        });
    });
    ioc.run();
    return received;
}

}  // namespace muster::test
