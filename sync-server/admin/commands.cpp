#include "command.hpp"
#include "help_topics.hpp"

#include "muster/db/database.hpp"
#include "muster/badge/hub_keys.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <ostream>

namespace muster::admin {
namespace {

const char* const hub_folder_rule =
    "The hub folder is --hub DIR (before or after the command), else $MUSTER_HUB, else ./hub.";

void print_command_list(std::ostream& out, const std::vector<const Command*>& commands) {
    for (const Command* c : commands) {
        out << "  " << c->name;
        for (std::size_t pad = c->name.size(); pad < 22; ++pad) out << ' ';
        out << c->summary << "\n";
    }
}

std::vector<const Command*> pointers(const std::vector<Command>& all) {
    std::vector<const Command*> out;
    for (const auto& c : all) out.push_back(&c);
    return out;
}

// `full` (muster --help) adds the lists of roles, programmes, columns and statuses.
void print_overview(std::ostream& out, const std::vector<Command>& all, bool full) {
    out << "muster: run a teaching school hub's attendance.\n\nUsage: muster [--hub DIR] <command> [options]\n\n"
        << hub_folder_rule << "\n\nCommands:\n";
    print_command_list(out, pointers(all));
    out << "\n'muster <command> --help' for a command's options; 'muster <group>' (e.g. 'muster roster') for a\n"
           "group's commands; 'muster help TOPIC' for a list:";
    for (const auto& t : help_topics()) out << ' ' << t.name;
    out << "\n";
    if (!full) return;
    out << "\n";
    for (const auto& t : help_topics()) t.print_brief(out);
}

// The group of a command: its first word when it has more ("roster" of "roster import").
std::string group_of(const std::string& name) {
    auto space = name.find(' ');
    return space == std::string::npos ? "" : name.substr(0, space);
}

std::vector<const Command*> group_commands(const std::vector<Command>& all, const std::string& group) {
    std::vector<const Command*> out;
    for (const auto& c : all)
        if (!group.empty() && group_of(c.name) == group) out.push_back(&c);
    return out;
}

void print_group(std::ostream& out, const std::string& group, const std::vector<const Command*>& commands) {
    out << "The " << group << " commands:\n";
    print_command_list(out, commands);
    out << "\n'muster " << group << " <command> --help' for a command's options.\n";
}

void print_command_help(std::ostream& out, const Command& c) {
    out << "Usage: muster " << c.name << " " << c.usage << "\n\n" << c.summary << "\n";
    auto options = c.valued;
    options.insert(c.flags.begin(), c.flags.end());
    for (const HelpTopic* t : topics_for_command(c.name, options)) {
        out << "\n";
        t->print(out);
    }
    out << "\n" << hub_folder_rule << "\n";
}

// The longest command whose words start argv ("roster import" over a "roster" command).
std::pair<const Command*, std::size_t> match_command(const std::vector<Command>& all, const std::vector<std::string>& argv) {
    const Command* chosen = nullptr;
    std::size_t words = 0;
    for (const auto& c : all) {
        std::size_t n = 1 + static_cast<std::size_t>(std::count(c.name.begin(), c.name.end(), ' '));
        if (n > argv.size()) continue;
        std::string joined = argv[0];
        for (std::size_t i = 1; i < n; ++i) joined += " " + argv[i];
        if (joined == c.name && n > words) {
            chosen = &c;
            words = n;
        }
    }
    return {chosen, words};
}

bool is_help(const std::string& a) { return a == "--help" || a == "-h"; }

// `muster help [TOPIC | GROUP | COMMAND...]`.
int help(const std::vector<std::string>& words, const std::vector<Command>& all, std::ostream& out, std::ostream& err) {
    if (words.empty()) {
        print_overview(out, all, true);
        return 0;
    }
    if (words.size() == 1)
        if (const HelpTopic* t = find_help_topic(words[0])) {
            t->print(out);
            return 0;
        }
    if (auto [command, n] = match_command(all, words); command && n == words.size()) {
        print_command_help(out, *command);
        return 0;
    }
    if (auto group = group_commands(all, words[0]); words.size() == 1 && !group.empty()) {
        print_group(out, words[0], group);
        return 0;
    }
    std::string asked;
    for (const auto& w : words) asked += (asked.empty() ? "" : " ") + w;
    err << "muster help: no topic or command '" << asked << "'. Topics:";
    for (const auto& t : help_topics()) err << ' ' << t.name;
    err << "; or a command, e.g. 'muster help roster import'.\n";
    return 2;
}

int run_command(const Command& chosen, const std::vector<std::string>& options, const std::optional<std::string>& hub_before,
                std::ostream& out, std::ostream& err, const PasswordInput& passwords) {
    try {
        auto valued = chosen.valued;
        valued.insert("hub");
        Args args(options, valued, chosen.flags);
        if (args.help()) {
            print_command_help(out, chosen);
            return 0;
        }
        auto hub_after = args.get("hub");
        if (hub_before && hub_after && *hub_before != *hub_after)
            throw UsageError("--hub given twice (" + *hub_before + " and " + *hub_after + "): give it once");
        std::string hub_dir = hub_after ? *hub_after
                              : hub_before ? *hub_before
                              : std::getenv("MUSTER_HUB") ? std::getenv("MUSTER_HUB")
                                                          : "hub";
        Context ctx{HubDir(hub_dir), out, err, passwords};
        return chosen.run(args, ctx);
    } catch (const UsageError& e) {
        // The usage's first line; a long one (roster import's columns) is in --help.
        auto first_line = chosen.usage.substr(0, chosen.usage.find('\n'));
        err << "muster " << chosen.name << ": " << e.what() << "\nUsage: muster " << chosen.name << " " << first_line << "\n";
        if (first_line.size() < chosen.usage.size()) err << "('muster " << chosen.name << " --help' for more)\n";
        return 2;
    } catch (const db::Error& e) {
        err << "muster " << chosen.name << ": database error: " << e.what() << "\n";
        return 1;
    } catch (const badge::KeyError& e) {
        err << "muster " << chosen.name << ": " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        err << "muster " << chosen.name << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

#ifndef MUSTER_HAVE_NFC
std::vector<Command> card_enrol_commands() { return {}; }
#endif

std::vector<Command> all_commands() {
    std::vector<Command> all;
    for (auto group : {hub_commands, hub_migrate_commands, roster_commands, event_commands, badge_commands, card_enrol_commands,
                       attendance_commands, progress_commands, device_commands, register_commands, staff_commands,
                       school_commands, central_commands, facilitator_commands, satisfaction_commands,
                       demo_commands})
        for (auto& c : group()) all.push_back(std::move(c));
    return all;
}

int run_cli(const std::vector<std::string>& given, std::ostream& out, std::ostream& err, const PasswordInput& passwords) {
    auto all = all_commands();
    // Options before the command: --hub DIR (muster --hub X event list) and --help.
    std::optional<std::string> hub_before;
    std::size_t at = 0;
    for (; at < given.size(); ++at) {
        if (given[at] == "--hub") {
            if (at + 1 >= given.size()) {
                err << "muster: --hub needs a folder (muster --hub DIR <command>)\n";
                return 2;
            }
            hub_before = given[++at];
        } else if (given[at].rfind("--hub=", 0) == 0) {
            hub_before = given[at].substr(6);
        } else {
            break;
        }
    }
    std::vector<std::string> argv(given.begin() + static_cast<long>(at), given.end());
    if (argv.empty()) {
        print_overview(err, all, false);
        return 2;
    }
    if (is_help(argv[0])) {
        print_overview(out, all, true);
        return 0;
    }
    if (argv[0] == "help") return help(std::vector<std::string>(argv.begin() + 1, argv.end()), all, out, err);

    auto [chosen, words] = match_command(all, argv);
    if (chosen) return run_command(*chosen, std::vector<std::string>(argv.begin() + static_cast<long>(words), argv.end()),
                                   hub_before, out, err, passwords);

    if (auto group = group_commands(all, argv[0]); !group.empty()) {
        // `muster roster --help` asks; `muster roster` alone is a command left unfinished (exit 2,
        // like `muster` alone); `muster roster frob` names a command the group does not have.
        if (argv.size() > 1 && is_help(argv[1])) {
            print_group(out, argv[0], group);
            return 0;
        }
        if (argv.size() == 1 || argv[1].rfind("--", 0) == 0) {
            err << "muster " << argv[0] << ": which " << argv[0] << " command?\n\n";
            print_group(err, argv[0], group);
            return 2;
        }
        err << "muster: unknown command '" << argv[0] << " " << argv[1] << "'.\n\n";
        print_group(err, argv[0], group);
        return 2;
    }
    err << "muster: unknown command '" << argv[0] << "'\n\n";
    print_overview(err, all, false);
    return 2;
}

}  // namespace muster::admin
