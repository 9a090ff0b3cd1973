#pragma once
// A small stand-in CRM for the delivery tests: a Beast HTTP(S) server on 127.0.0.1 in
// threads of its own, answering each request with what the test's handler says and keeping
// every request it was sent. (The chaos tests' stand-in CRM is a process: crm_*.)
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace muster::test {

struct ReceivedRequest {
    std::string target;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::vector<std::string> keys;  // the records' idempotency keys, in order
    std::string header(const std::string& name) const {
        auto h = headers.find(name);
        return h == headers.end() ? std::string() : h->second;
    }
};

struct ReceiverReply {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds hold{0};  // answer only after this long (a slow CRM)
};

// A reply of "created" for each record (id "crm-<n>"), as a well-behaved CRM gives.
ReceiverReply created_reply(const ReceivedRequest& request);

class DeliveryReceiver {
public:
    // n: the request's number, from 0.
    using Handler = std::function<ReceiverReply(const ReceivedRequest&, std::size_t n)>;
    // tls: a certificate and key (PEM): HTTPS; none: plain HTTP.
    explicit DeliveryReceiver(Handler handler,
                              std::optional<std::pair<std::filesystem::path, std::filesystem::path>> tls = std::nullopt);
    ~DeliveryReceiver();
    DeliveryReceiver(const DeliveryReceiver&) = delete;
    DeliveryReceiver& operator=(const DeliveryReceiver&) = delete;

    unsigned short port() const;
    std::string url(const std::string& path = "/records") const;
    std::vector<ReceivedRequest> requests() const;
    // Waits until `done(requests)` holds, for at most `timeout`; true when it did.
    bool wait_until(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
                    std::chrono::milliseconds timeout) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace muster::test
