// Pointing a hub's sync-server.toml at its database (`muster hub migrate`): [hub] database,
// a file path relative to the folder (hub.db) or a postgresql:// URL.
#include "hub_dir.hpp"

#include "cli_args.hpp"
#include "muster/config/toml_file.hpp"
#include "muster/util/private_files.hpp"

#include <fstream>
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

// A TOML basic string: quotes and backslashes escaped (a URL's password may hold either).
std::string toml_string(const std::string& value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// `text` with [hub] database set to `value`: the line replaced (a comment after it kept),
// else added under [hub], else [hub] added. Every other line as it was.
std::string with_hub_database(const std::string& text, const std::string& value) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    const std::string fresh = "database = " + toml_string(value);
    std::string table;
    std::optional<std::size_t> hub_header;
    bool replaced = false;
    for (std::size_t i = 0; i < lines.size() && !replaced; ++i) {
        std::string t = trim(lines[i]);
        if (!t.empty() && t.front() == '[') {
            table = trim(t.substr(1, t.find(']') - 1));
            if (table == "hub") hub_header = i;
            continue;
        }
        auto eq = t.find('=');
        if (table != "hub" || eq == std::string::npos || trim(t.substr(0, eq)) != "database") continue;
        std::string comment;
        auto open = t.find('"', eq);
        auto close = open == std::string::npos ? std::string::npos : t.find('"', open + 1);
        if (close != std::string::npos)
            if (auto hash = t.find('#', close); hash != std::string::npos) comment = "   " + t.substr(hash);
        lines[i] = fresh + comment;
        replaced = true;
    }
    if (!replaced && hub_header) {
        lines.insert(lines.begin() + static_cast<long>(*hub_header) + 1, fresh);
    } else if (!replaced) {
        lines.push_back("");
        lines.push_back("[hub]");
        lines.push_back(fresh);
    }
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

void HubDir::set_database_location(const std::string& location) const {
    std::ifstream in(server_config_path(), std::ios::binary);
    if (!in) throw UsageError("cannot read " + server_config_path().string() + " (a hub made by `muster init` has one)");
    std::stringstream text;
    text << in.rdbuf();
    std::string updated = with_hub_database(text.str(), location);
    // Checked on a sibling file first, as set_public_url does: the server never finds a file
    // it cannot read, or one that names another database.
    auto check = server_config_path();
    check += ".check";
    replace_private_file(check, updated);
    const std::string by_hand = "; set [hub] database in " + server_config_path().string() + " by hand";
    try {
        bool same = config::TomlFile(check).text("hub.database", "") == location;
        std::filesystem::remove(check);
        if (!same) throw UsageError("could not set [hub] database" + by_hand);
    } catch (const ConfigError& e) {
        std::filesystem::remove(check);
        throw UsageError(std::string(e.what()) + by_hand);
    }
    replace_private_file(server_config_path(), updated);
}

}  // namespace muster::admin
