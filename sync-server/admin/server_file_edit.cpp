#include "server_file_edit.hpp"

#include <optional>
#include <sstream>
#include <vector>

namespace muster::admin {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// A TOML basic string: quotes and backslashes escaped.
std::string toml_string(const std::string& value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string with_toml_string(const std::string& toml_text, const std::string& table, const std::string& key,
                             const std::string& value) {
    std::vector<std::string> lines;
    std::istringstream in(toml_text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    const std::string fresh = key + " = " + toml_string(value);
    std::string current;
    std::optional<std::size_t> header;
    bool replaced = false;
    for (std::size_t i = 0; i < lines.size() && !replaced; ++i) {
        std::string t = trim(lines[i]);
        if (!t.empty() && t.front() == '[') {
            current = trim(t.substr(1, t.find(']') - 1));
            if (current == table) header = i;
            continue;
        }
        auto eq = t.find('=');
        if (current != table || eq == std::string::npos || trim(t.substr(0, eq)) != key) continue;
        // Keep a comment after the value: the closing quote of a basic string, then '#'.
        std::string comment;
        auto open = t.find('"', eq);
        auto close = open == std::string::npos ? std::string::npos : t.find('"', open + 1);
        if (close != std::string::npos)
            if (auto hash = t.find('#', close); hash != std::string::npos) comment = "   " + t.substr(hash);
        lines[i] = fresh + comment;
        replaced = true;
    }
    if (!replaced && header) {
        lines.insert(lines.begin() + static_cast<long>(*header) + 1, fresh);
    } else if (!replaced) {
        lines.push_back("");
        lines.push_back("[" + table + "]");
        lines.push_back(fresh);
    }
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace muster::admin
