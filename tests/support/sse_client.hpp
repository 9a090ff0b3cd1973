#pragma once
// A test's own Server-Sent Events reader over a plain socket (the server on 127.0.0.1, plain
// HTTP): sends one GET, reads the reply's head, then decodes the chunked body into SSE blocks
// (`retry: …`, `id: … event: … data: …`, `: comment`). Blocking, with a deadline on each call;
// no Beast, so it costs nothing to build. SseParser alone serves the stream bench's poll loop.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

namespace muster::test {

// One SSE block (the text up to a blank line), its fields read.
struct SseBlock {
    std::string raw;
    std::optional<std::int64_t> id;
    std::optional<std::int64_t> retry;
    std::string event;
    std::string data;
    std::string comment;  // the text after ':' of a comment line
};

// Bytes of a (chunked or close-delimited) event-stream body in, whole blocks out.
class SseParser {
public:
    explicit SseParser(bool chunked) : chunked_(chunked) {}
    void feed(const char* bytes, std::size_t n);
    std::optional<SseBlock> next();  // the oldest whole block not taken yet
    bool ended() const { return ended_; }  // the zero-length last chunk came

private:
    void split_blocks();
    bool chunked_;
    enum class State { size, data, crlf } state_ = State::size;
    std::size_t remaining_ = 0;
    bool ended_ = false;
    std::string raw_;   // undecoded transfer bytes
    std::string body_;  // decoded body not yet split into blocks
    std::deque<SseBlock> blocks_;
};

class SseClient {
public:
    // Connects and sends `GET target` with `headers`; receive_buffer > 0 sets SO_RCVBUF first
    // (a small one makes a client that never reads fill up fast).
    SseClient(unsigned short port, const std::string& target, const std::map<std::string, std::string>& headers = {},
              int receive_buffer = 0);
    ~SseClient();
    SseClient(const SseClient&) = delete;
    SseClient& operator=(const SseClient&) = delete;

    // Reads the status line and headers (and, for a reply that is not a stream, its body).
    // False when none came within the timeout.
    bool read_head(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    int status() const { return status_; }
    const std::map<std::string, std::string>& headers() const { return headers_; }  // lower-case names
    const std::string& body() const { return body_; }  // a refusal's JSON

    // The next block, or nullopt if none came within the timeout or the stream ended.
    std::optional<SseBlock> next(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // The next block that carries an event (skipping comments and retry).
    std::optional<SseBlock> next_event(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Waits for the server to end the stream (connection closed); true if it did in time.
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool closed() const { return closed_; }
    int fd() const { return fd_; }

private:
    // Reads what is there (waiting at most until `deadline`); false on timeout or close.
    bool read_some(std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    bool closed_ = false;
    int status_ = 0;
    std::map<std::string, std::string> headers_;
    std::string head_buffer_;
    std::string body_;
    std::optional<SseParser> parser_;
};

}  // namespace muster::test
