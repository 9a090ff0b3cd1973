#include "cli_args.hpp"

#include <charconv>

namespace muster::admin {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& flags) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--help" || a == "-h") {
            help_ = true;
            continue;
        }
        if (a.rfind("--", 0) != 0 || a == "--") {
            positional_.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        bool inline_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inline_value = true;
        }
        if (flags.count(name)) {
            if (inline_value) throw UsageError("--" + name + " takes no value");
            flags_.insert(name);
        } else if (valued.count(name)) {
            if (!inline_value) {
                if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
                value = argv[++i];
            }
            values_[name].push_back(value);
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Args::get_all(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::require(const std::string& name) const {
    auto v = get(name);
    if (!v || v->empty()) throw UsageError("--" + name + " is required");
    return *v;
}

std::optional<long long> Args::get_int(const std::string& name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    long long out = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || ptr != v->data() + v->size()) throw UsageError("--" + name + " must be a whole number, got '" + *v + "'");
    return out;
}

long long Args::require_int(const std::string& name) const {
    auto v = get_int(name);
    if (!v) throw UsageError("--" + name + " is required");
    return *v;
}

std::optional<std::string> Args::get_text(const std::string& name, std::size_t max_chars) const {
    auto v = get(name);
    if (v)
        if (auto problem = limits::text_problem(*v, max_chars)) throw UsageError("--" + name + ": " + *problem);
    return v;
}

std::string Args::require_text(const std::string& name, std::size_t max_chars) const {
    auto v = get_text(name, max_chars);
    if (!v || v->empty()) throw UsageError("--" + name + " is required");
    return *v;
}

}  // namespace muster::admin
