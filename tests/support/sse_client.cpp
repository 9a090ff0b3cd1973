#include "sse_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <stdexcept>

namespace muster::test {

namespace {

std::optional<std::int64_t> number(std::string_view s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

SseBlock parse_block(std::string raw) {
    SseBlock b;
    std::size_t start = 0;
    while (start < raw.size()) {
        auto end = raw.find('\n', start);
        if (end == std::string::npos) end = raw.size();
        std::string_view line(raw.data() + start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        auto colon = line.find(':');
        std::string_view field = line.substr(0, colon);
        std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (field.empty()) b.comment += std::string(value);
        else if (field == "id") b.id = number(value);
        else if (field == "retry") b.retry = number(value);
        else if (field == "event") b.event = std::string(value);
        else if (field == "data") b.data += (b.data.empty() ? "" : "\n") + std::string(value);
    }
    b.raw = std::move(raw);
    return b;
}

}  // namespace

void SseParser::feed(const char* bytes, std::size_t n) {
    if (!chunked_) {
        body_.append(bytes, n);
        return split_blocks();
    }
    raw_.append(bytes, n);
    std::size_t at = 0;
    while (!ended_) {
        if (state_ == State::size) {
            auto eol = raw_.find("\r\n", at);
            if (eol == std::string::npos) break;
            std::size_t size = 0;
            std::from_chars(raw_.data() + at, raw_.data() + eol, size, 16);
            at = eol + 2;
            if (size == 0) {
                ended_ = true;
                break;
            }
            remaining_ = size;
            state_ = State::data;
        } else if (state_ == State::data) {
            auto take = std::min(remaining_, raw_.size() - at);
            if (take == 0) break;
            body_.append(raw_, at, take);
            at += take;
            remaining_ -= take;
            if (remaining_ == 0) state_ = State::crlf;
        } else {
            if (raw_.size() - at < 2) break;
            at += 2;
            state_ = State::size;
        }
    }
    raw_.erase(0, at);
    split_blocks();
}

void SseParser::split_blocks() {
    std::size_t at = 0;
    for (auto end = body_.find("\n\n"); end != std::string::npos; end = body_.find("\n\n", at)) {
        blocks_.push_back(parse_block(body_.substr(at, end - at)));
        at = end + 2;
    }
    body_.erase(0, at);
}

std::optional<SseBlock> SseParser::next() {
    if (blocks_.empty()) return std::nullopt;
    auto b = std::move(blocks_.front());
    blocks_.pop_front();
    return b;
}

SseClient::SseClient(unsigned short port, const std::string& target, const std::map<std::string, std::string>& headers,
                     int receive_buffer) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect failed");
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    req += "\r\n";
    for (std::size_t sent = 0; sent < req.size();) {
        auto n = ::send(fd_, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("send failed");
        sent += static_cast<std::size_t>(n);
    }
}

SseClient::~SseClient() {
    if (fd_ >= 0) ::close(fd_);
}

bool SseClient::read_some(std::chrono::steady_clock::time_point deadline) {
    if (closed_) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left, 0))) <= 0) return false;
    char buf[16384];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
        closed_ = true;
        return false;
    }
    if (parser_) parser_->feed(buf, static_cast<std::size_t>(n));
    else head_buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
}

bool SseClient::read_head(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t end;
    while ((end = head_buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!read_some(deadline)) return false;
    std::string head = head_buffer_.substr(0, end);
    std::string rest = head_buffer_.substr(end + 4);
    auto first = head.find("\r\n");
    auto status_line = head.substr(0, first);
    status_ = static_cast<int>(number(status_line.substr(9, 3)).value_or(0));
    for (std::size_t at = first + 2; first != std::string::npos && at < head.size();) {
        auto eol = head.find("\r\n", at);
        if (eol == std::string::npos) eol = head.size();
        auto line = head.substr(at, eol - at);
        at = eol + 2;
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        headers_[name] = value;
    }
    if (status_ != 200) {
        // A refusal: its body by Content-Length.
        auto length = static_cast<std::size_t>(number(headers_["content-length"]).value_or(0));
        body_ = rest;
        head_buffer_.clear();
        while (body_.size() < length) {
            if (!read_some(deadline)) break;
            body_ += head_buffer_;
            head_buffer_.clear();
        }
        return true;
    }
    parser_.emplace(headers_["transfer-encoding"] == "chunked");
    head_buffer_.clear();
    if (!rest.empty()) parser_->feed(rest.data(), rest.size());
    return true;
}

std::optional<SseBlock> SseClient::next(std::chrono::milliseconds timeout) {
    if (!parser_) return std::nullopt;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (auto b = parser_->next()) return b;
        if (parser_->ended() || !read_some(deadline)) return std::nullopt;
    }
}

std::optional<SseBlock> SseClient::next_event(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (auto b = next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()))) {
        if (!b->event.empty() || b->id) return b;
    }
    return std::nullopt;
}

bool SseClient::wait_closed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        if (parser_) {
            while (parser_->next()) {
            }
        }
        head_buffer_.clear();
        read_some(deadline);
    }
    return true;
}

}  // namespace muster::test
