#include "command.hpp"

#include "muster/db/database.hpp"
#include "muster/badge/hub_keys.hpp"

#include <algorithm>
#include <cstdlib>
#include <ostream>

namespace muster::admin {
namespace {

void print_overview(std::ostream& out) {
    out << "muster: run a teaching school hub's attendance.\n\nUsage: muster <command> [options] [--hub DIR]\n\n"
           "The hub folder is --hub DIR, else $MUSTER_HUB, else ./hub.\n\nCommands:\n";
    for (const auto& c : all_commands()) {
        out << "  " << c.name;
        for (std::size_t pad = c.name.size(); pad < 22; ++pad) out << ' ';
        out << c.summary << "\n";
    }
    out << "\n'muster <command> --help' for a command's options.\n";
}

}  // namespace

#ifndef MUSTER_HAVE_NFC
std::vector<Command> card_enrol_commands() { return {}; }
#endif

std::vector<Command> all_commands() {
    std::vector<Command> all;
    for (auto group : {hub_commands, roster_commands, event_commands, badge_commands, card_enrol_commands,
                       attendance_commands, device_commands, demo_commands})
        for (auto& c : group()) all.push_back(std::move(c));
    for (auto& c : register_commands()) all.push_back(std::move(c));
    return all;
}

int run_cli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
    if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
        print_overview(argv.empty() ? err : out);
        return argv.empty() ? 2 : 0;
    }
    auto commands = all_commands();
    const Command* chosen = nullptr;
    std::size_t words = 0;
    for (const auto& c : commands) {
        // "roster import" is two words of argv.
        std::size_t n = 1 + static_cast<std::size_t>(std::count(c.name.begin(), c.name.end(), ' '));
        if (n > argv.size()) continue;
        std::string joined = argv[0];
        for (std::size_t i = 1; i < n; ++i) joined += " " + argv[i];
        if (joined == c.name && n > words) {
            chosen = &c;
            words = n;
        }
    }
    if (!chosen) {
        err << "muster: unknown command '" << argv[0] << (argv.size() > 1 && argv[1][0] != '-' ? " " + argv[1] : "")
            << "'\n\n";
        print_overview(err);
        return 2;
    }
    try {
        auto valued = chosen->valued;
        valued.insert("hub");
        Args args(std::vector<std::string>(argv.begin() + static_cast<long>(words), argv.end()), valued, chosen->flags);
        if (args.help()) {
            out << "Usage: muster " << chosen->name << " " << chosen->usage << "\n\n" << chosen->summary << "\n";
            return 0;
        }
        std::string hub_dir = args.get("hub").value_or(std::getenv("MUSTER_HUB") ? std::getenv("MUSTER_HUB") : "hub");
        Context ctx{HubDir(hub_dir), out, err};
        return chosen->run(args, ctx);
    } catch (const UsageError& e) {
        err << "muster " << chosen->name << ": " << e.what() << "\nUsage: muster " << chosen->name << " " << chosen->usage
            << "\n";
        return 2;
    } catch (const db::Error& e) {
        err << "muster " << chosen->name << ": database error: " << e.what() << "\n";
        return 1;
    } catch (const badge::KeyError& e) {
        err << "muster " << chosen->name << ": " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        err << "muster " << chosen->name << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace muster::admin
