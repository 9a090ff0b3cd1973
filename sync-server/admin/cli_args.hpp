#pragma once
// Command-line arguments of the `muster` admin tool: positionals, `--name value` options
// and `--flag` switches. Every option must be declared by the command, so a typo is an
// error rather than silently ignored.
#include "muster/model/field_limits.hpp"  // the limits callers pass to get_text

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace muster::admin {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // `valued` options take a value, `flags` take none.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& flags);

    const std::vector<std::string>& positional() const { return positional_; }
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    std::optional<std::string> get(const std::string& name) const;  // the last value when given more than once
    // Every value of an option given more than once (`--participant 3 --participant 4`), in order.
    std::vector<std::string> get_all(const std::string& name) const;
    std::string require(const std::string& name) const;
    std::optional<long long> get_int(const std::string& name) const;
    long long require_int(const std::string& name) const;
    // Free text that goes into a record (a reason, a name): within the field limits
    // (muster/model/field_limits.hpp), else a UsageError naming the option and the problem.
    std::optional<std::string> get_text(const std::string& name, std::size_t max_chars) const;
    std::string require_text(const std::string& name, std::size_t max_chars) const;
    bool help() const { return help_; }

private:
    std::vector<std::string> positional_;
    std::map<std::string, std::vector<std::string>> values_;
    std::set<std::string> flags_;
    bool help_ = false;
};

}  // namespace muster::admin
