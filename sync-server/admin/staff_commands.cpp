// `muster staff add|list|disable|enable|password|unlock`: hub staff accounts (docs/staff.md).
// A password is never an option (it would sit in the shell's history and in `ps`): it is read
// from the terminal without echo, twice, or from stdin's first line when stdin is not a
// terminal (scripts, tests). Nothing is logged; the account's email is printed only here.
#include "command.hpp"

#include "muster/store/staff_store.hpp"
#include "muster/time/uk_time.hpp"

#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <ostream>

namespace muster::admin {
namespace {

// The terminal's settings while echo is off, for the Ctrl-C handler to put back.
struct termios saved_terminal;

extern "C" void restore_terminal_and_stop(int signal_number) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);  // async-signal-safe
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

// Echo off for one line typed at the terminal, and back on afterwards whatever happens
// (return, exception, Ctrl-C).
class NoEcho {
public:
    NoEcho() {
        if (::tcgetattr(STDIN_FILENO, &saved_terminal) != 0) return;
        struct termios quiet = saved_terminal;
        quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
        quiet.c_lflag |= ECHONL;  // the Enter still moves to the next line
        previous_int_ = std::signal(SIGINT, restore_terminal_and_stop);
        previous_term_ = std::signal(SIGTERM, restore_terminal_and_stop);
        active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~NoEcho() {
        if (!active_) return;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
        std::signal(SIGINT, previous_int_);
        std::signal(SIGTERM, previous_term_);
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;

private:
    bool active_ = false;
    void (*previous_int_)(int) = SIG_DFL;
    void (*previous_term_)(int) = SIG_DFL;
};

std::string read_line(std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) throw UsageError("no password given (type it at the prompt, or give it on stdin)");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// The new password: typed twice at a terminal (a typo there would lock its owner out), or
// the first line of stdin when it is a pipe or a file. Refused when it is too weak.
std::string read_new_password(Context& ctx, const std::string& whose) {
    std::string password;
    if (!ctx.passwords.from && ::isatty(STDIN_FILENO)) {
        NoEcho quiet;
        ctx.err << "New password for " << whose << " (12 characters or more): " << std::flush;
        password = read_line(std::cin);
        ctx.err << "The same again: " << std::flush;
        if (read_line(std::cin) != password) throw UsageError("the two passwords differ; nothing changed");
    } else {
        password = read_line(ctx.passwords.from ? *ctx.passwords.from : std::cin);
    }
    if (auto problem = staff::password_problem(password)) throw UsageError("password refused: " + *problem + "; nothing changed");
    return password;
}

store::StaffId require_account(db::Database& db, const Args& a, store::StaffAccount* found = nullptr) {
    auto id = a.require_int("id");
    auto account = store::find_staff(db, id);
    if (!account) throw UsageError("no staff account " + std::to_string(id) + " (see: muster staff list)");
    if (found) *found = *account;
    return id;
}

int add(const Args& a, Context& ctx) {
    store::NewStaffAccount spec{a.require("name"), a.require("email"), store::StaffRole::staff};
    if (auto role = a.get("role")) {
        auto parsed = store::parse_staff_role(*role);
        if (!parsed) throw UsageError("--role must be admin or staff, not '" + *role + "'");
        spec.role = *parsed;
    }
    // Everything but the password is checked before it is asked for.
    if (auto problem = store::staff_account_problem(spec)) throw UsageError("--" + *problem);
    auto db = ctx.hub.open();
    std::string email = store::normalise_staff_email(spec.email);
    for (const auto& other : store::list_staff(*db))
        if (other.email == email) throw UsageError("staff account " + std::to_string(other.id) + " already has the email " + email);

    std::string password = read_new_password(ctx, email);
    auto added = store::add_staff(*db, spec, password, uk_time::now_ms(), ctx.passwords.cost, std::nullopt);
    if (!added.id) throw UsageError("a staff account already has the email " + email);
    ctx.out << "Staff account " << *added.id << " added: " << email << ", " << store::to_string(spec.role)
            << ". It logs in on the staff pages with its email and this password.\n";
    return 0;
}

std::string when(TimeMs t) { return uk_time::format_local(t); }

int list(const Args&, Context& ctx) {
    auto db = ctx.hub.open();
    auto accounts = store::list_staff(*db);
    if (accounts.empty()) {
        ctx.err << "muster staff list: no staff accounts (add one: muster staff add --name NAME --email EMAIL --role admin)\n";
        return 1;
    }
    TimeMs now = uk_time::now_ms();
    for (const auto& s : accounts) {
        ctx.out << s.id << "  " << s.name << "  " << s.email << "  " << store::to_string(s.role) << "  "
                << (s.disabled_ms ? "disabled " + when(*s.disabled_ms) : "in service");
        if (s.locked_until_ms && *s.locked_until_ms > now) ctx.out << "  locked until " << when(*s.locked_until_ms);
        else if (s.failed_logins > 0) ctx.out << "  " << s.failed_logins << " wrong password(s) in a row";
        ctx.out << "  last login " << (s.last_login_ms ? when(*s.last_login_ms) : "never") << "\n";
    }
    return 0;
}

int disable(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto id = require_account(*db, a);
    if (store::disable_staff(*db, id, uk_time::now_ms(), std::nullopt) == store::StaffChange::unchanged) {
        ctx.err << "muster staff disable: account " << id << " was already disabled; nothing to do\n";
        return 1;
    }
    ctx.out << "Staff account " << id << " disabled: it cannot log in, and its sessions have ended\n";
    return 0;
}

int enable(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto id = require_account(*db, a);
    if (store::enable_staff(*db, id, uk_time::now_ms(), std::nullopt) == store::StaffChange::unchanged) {
        ctx.err << "muster staff enable: account " << id << " is in service already; nothing to do\n";
        return 1;
    }
    ctx.out << "Staff account " << id << " enabled: it can log in again\n";
    return 0;
}

int password(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    store::StaffAccount account;
    auto id = require_account(*db, a, &account);
    std::string typed = read_new_password(ctx, account.email);
    store::set_staff_password(*db, id, typed, uk_time::now_ms(), ctx.passwords.cost, std::nullopt);
    ctx.out << "Staff account " << id << ": password changed; its sessions have ended and any lock is lifted\n";
    return 0;
}

int unlock(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto id = require_account(*db, a);
    if (store::unlock_staff(*db, id, uk_time::now_ms(), std::nullopt) == store::StaffChange::unchanged) {
        ctx.err << "muster staff unlock: account " << id << " is not locked and has no wrong passwords counted; nothing to do\n";
        return 1;
    }
    ctx.out << "Staff account " << id << " unlocked: its count of wrong passwords starts again\n";
    return 0;
}

}  // namespace

std::vector<Command> staff_commands() {
    return {{"staff add", "Add a hub staff account (asks for its password)", "--name NAME --email EMAIL [--role admin|staff]",
             {"name", "email", "role"}, {}, add},
            {"staff list", "List hub staff accounts: role, in service or disabled, locks, last login", "", {}, {}, list},
            {"staff disable", "Disable a staff account: no login, and its sessions end", "--id ID", {"id"}, {}, disable},
            {"staff enable", "Put a disabled staff account back in service", "--id ID", {"id"}, {}, enable},
            {"staff password", "Set a staff account's password (asks for it); its sessions end", "--id ID", {"id"}, {}, password},
            {"staff unlock", "Lift a staff account's lock after wrong passwords", "--id ID", {"id"}, {}, unlock}};
}

}  // namespace muster::admin
