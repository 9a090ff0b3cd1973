#pragma once
// Carving an ApiRequest out of fuzzer bytes, for the server's fuzz targets:
//
//     METHOD SP TARGET LF (NAME ":" VALUE LF)* LF BODY
//
// Header names are lower-cased (as the HTTP layer hands them over), a value loses its leading
// blanks, and whatever is missing is empty. Any bytes make some request.
#include "sync_api.hpp"

#include <cctype>
#include <string>
#include <string_view>

namespace muster::fuzz {

inline server::ApiRequest carve_request(std::string_view in) {
    server::ApiRequest r;
    auto line = [&in]() {
        auto end = in.find('\n');
        std::string_view l = in.substr(0, end);
        in = end == std::string_view::npos ? std::string_view() : in.substr(end + 1);
        return l;
    };
    auto first = line();
    auto space = first.find(' ');
    r.method = std::string(first.substr(0, space));
    if (space != std::string_view::npos) r.target = std::string(first.substr(space + 1));
    while (!in.empty()) {
        auto l = line();
        if (l.empty()) break;
        auto colon = l.find(':');
        std::string name(l.substr(0, colon));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        r.headers[name] = std::string(value);
    }
    r.body = std::string(in);
    return r;
}

// Every occurrence of `from` in `text` replaced by `to`.
inline void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

}  // namespace muster::fuzz
