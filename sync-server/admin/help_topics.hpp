#pragma once
// `muster help TOPIC`: the lists staff need while typing a command (roles a roster may
// give, programme templates and their item codes, the attendance export's columns and its
// status values), printed from the code's own tables so they cannot drift from it.
#include <iosfwd>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace muster::admin {

struct HelpTopic {
    std::string_view name;  // "roles"
    std::string_view summary;
    void (*print)(std::ostream&);       // the whole list
    void (*print_brief)(std::ostream&);  // one line, for the overview
};

std::span<const HelpTopic> help_topics();
const HelpTopic* find_help_topic(std::string_view name);

// The topics a command's --help shows: decided from its name and its options (--role,
// --programme, --status, ...), so commands added later get them too.
std::vector<const HelpTopic*> topics_for_command(const std::string& name, const std::set<std::string>& options);

}  // namespace muster::admin
