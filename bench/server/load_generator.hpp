#pragma once
// The bench's load generator: many keep-alive HTTP/1.1 connections (plain or TLS) on one
// io_context, each asking its `next` function for a request, sending it, reading the reply
// and, after an optional pause, asking again. One thread drives hundreds of devices.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace muster::bench {

struct LoadRequest {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;
    std::string body;
    std::chrono::milliseconds pause_before{0};
};

struct LoadStats {
    std::size_t requests = 0;
    std::size_t ok = 0;       // 2xx
    std::size_t failed = 0;   // other statuses and connection errors
};

class LoadGenerator {
public:
    // tls_ca: the pinned certificate for https, or "" for plain HTTP.
    LoadGenerator(unsigned short port, const std::string& tls_ca);
    ~LoadGenerator();

    // Opens a connection that keeps sending what `next` returns until it returns nullopt.
    // `on_reply(status, body)` sees each reply.
    void add_connection(std::function<std::optional<LoadRequest>()> next,
                        std::function<void(int, const std::string&)> on_reply = {});
    // Runs until every connection has finished (or `limit` passes); returns the counts.
    LoadStats run(std::chrono::milliseconds limit);

    struct Impl;  // defined in load_generator.cpp

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace muster::bench
