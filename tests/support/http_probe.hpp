#pragma once
// A test's own HTTP/1.1 client for the sync server on 127.0.0.1 (plain HTTP): plain
// requests, device-signed requests with every part overridable (to forge, replay or
// tamper), and raw bytes for garbage input. Blocking, with a deadline on every call.
#include "muster/model/types.hpp"
#include "muster/sync/request_signing.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace muster::test {

struct HttpReply {
    int status = 0;  // 0: no reply (connection closed or timed out)
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
};

struct SignedParts {
    std::string device;
    sync::DeviceSecret secret{};
    std::optional<TimeMs> time;         // default: now
    std::optional<std::string> nonce;   // default: a fresh one
    std::optional<std::string> sign_body;  // sign this instead of the body sent (tampering)
};

HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::string& body = "", const std::map<std::string, std::string>& headers = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
HttpReply signed_request(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
                         const SignedParts& parts, std::map<std::string, std::string>* sent_headers = nullptr);
// Writes `bytes` as they are and returns whatever comes back until the server closes.
std::string raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout);

}  // namespace muster::test
