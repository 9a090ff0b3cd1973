#include "request_parts.hpp"

#include <cctype>
#include <charconv>

namespace muster::server {

std::string header(const ApiRequest& r, std::string_view name) {
    std::string key(name);
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = r.headers.find(key);
    return it == r.headers.end() ? std::string() : it->second;
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

std::optional<std::string_view> query_value(std::string_view target, std::string_view key) {
    auto q = target.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        auto pair = rest.substr(0, amp);
        auto eq = pair.find('=');
        if (pair.substr(0, eq) == key) return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

bool is_json_content_type(std::string_view value) {
    auto semi = value.find(';');
    auto type = value.substr(0, semi);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    if (type.size() != 16) return false;
    std::string lower(type);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower == "application/json";
}

bool same_origin(const ApiRequest& r) {
    auto origin = header(r, "origin");
    if (!r.headers.count("origin")) return header(r, "sec-fetch-site") != "cross-site";
    auto host = header(r, "host");
    if (host.empty()) return false;
    return origin == "https://" + host || origin == "http://" + host;
}

}  // namespace muster::server
