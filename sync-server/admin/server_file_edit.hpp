#pragma once
// Changing one setting of a hub's sync-server.toml by hand's rules: the operator's comments,
// order and other lines stay as they were (a TOML library would rewrite the whole file).
#include <string>

namespace muster::admin {

// `toml_text` with the string `table.key` set to `value` (quotes and backslashes escaped):
// the line replaced, keeping a comment after its value; else added under [table]; else the
// table added at the end.
std::string with_toml_string(const std::string& toml_text, const std::string& table, const std::string& key,
                             const std::string& value);

}  // namespace muster::admin
