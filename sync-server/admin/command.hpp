#pragma once
// One `muster` subcommand. Commands are grouped by domain, one file a group, and listed
// in commands.cpp.
#include "cli_args.hpp"
#include "hub_dir.hpp"

#include "muster/staff/staff_password.hpp"

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace muster::admin {

// How the tool takes passwords (`muster staff add|password`) and what hashing them costs: the
// programs read the terminal without echo, or stdin when it is not a terminal, at the hub's
// Argon2 cost. Tests give a stream and may give staff::test_cost; never set from the command line.
struct PasswordInput {
    std::istream* from = nullptr;  // nullptr: the process's stdin
    staff::PasswordCost cost = staff::production_cost;
};

struct Context {
    HubDir hub;
    std::ostream& out;
    std::ostream& err;
    PasswordInput passwords{};
};

struct Command {
    std::string name;  // "roster import"
    std::string summary;
    std::string usage;  // options, shown by --help
    std::set<std::string> valued;
    std::set<std::string> flags;
    std::function<int(const Args&, Context&)> run;
};

std::vector<Command> hub_commands();
std::vector<Command> hub_migrate_commands();  // moving the hub to PostgreSQL (docs/scale.md)
std::vector<Command> roster_commands();
std::vector<Command> event_commands();
std::vector<Command> badge_commands();
std::vector<Command> attendance_commands();
std::vector<Command> progress_commands();  // programme progress (docs/progress.md)
std::vector<Command> device_commands();
std::vector<Command> demo_commands();
std::vector<Command> register_commands();  // the live register's links (docs/register.md)
std::vector<Command> staff_commands();     // hub staff accounts (docs/staff.md)
std::vector<Command> school_commands();    // per-school reports and notices (docs/schools.md)
std::vector<Command> central_commands();   // deliveries to the central attendance records (docs/central.md)
std::vector<Command> facilitator_commands();  // facilitators' delivered sessions (docs/facilitators.md)
std::vector<Command> satisfaction_commands();  // the satisfaction question per event (docs/satisfaction.md)
std::vector<Command> card_enrol_commands();  // empty without NFC support

std::vector<Command> all_commands();
// Runs `muster <argv...>`; returns the process exit code.
int run_cli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err, const PasswordInput& passwords = {});

}  // namespace muster::admin
