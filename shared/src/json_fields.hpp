#pragma once
// Reading one JSON object field by field, strictly, with the field's path in every error
// ("check_ins[3].device_seq: expected an integer"). The sync messages (sync/sync_json.cpp)
// and the central record (central/central_record.cpp) read with it; each gives its Rules:
// what a failure throws, and whether an absent field may stand for null. Not a public header.
#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::json_fields {
namespace json = boost::json;

struct Rules {
    // true: an absent field reads as null (and an absent list as empty), so a message can
    // leave out what it does not carry; false: every field must be present ("missing").
    bool absent_is_null = true;
    std::string_view whole = "body";  // what an error names when the object is the top one
    // Throws the reader's error. (Not [[noreturn]] on the pointer: GCC accepts that, clang
    // refuses it; fail() below keeps the promise instead.)
    void (*raise)(const std::string& message) = nullptr;
};

class Fields {
public:
    Fields(const json::value& v, std::string path, const Rules& rules) : rules_(&rules), path_(std::move(path)) {
        if (!v.is_object()) fail("", "expected an object");
        obj_ = &v.get_object();
    }

    std::int64_t integer(std::string_view key) const {
        auto v = opt_integer(key);
        if (!v) fail(key, "expected an integer");
        return *v;
    }
    std::optional<std::int64_t> opt_integer(std::string_view key) const {
        const json::value* v = find(key);
        if (!v || v->is_null()) return std::nullopt;
        if (v->is_int64()) return v->get_int64();
        if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
            return static_cast<std::int64_t>(v->get_uint64());
        fail(key, "expected an integer");
    }
    int small_int(std::string_view key) const {
        auto v = opt_small_int(key);
        if (!v) fail(key, "expected an integer");
        return *v;
    }
    std::optional<int> opt_small_int(std::string_view key) const {
        auto v = opt_integer(key);
        if (!v) return std::nullopt;
        if (*v < INT32_MIN || *v > INT32_MAX) fail(key, "out of range");
        return static_cast<int>(*v);
    }
    std::string text(std::string_view key) const {
        auto v = opt_text(key);
        if (!v) fail(key, "expected a string");
        return *v;
    }
    std::optional<std::string> opt_text(std::string_view key) const {
        const json::value* v = find(key);
        if (!v || v->is_null()) return std::nullopt;
        if (!v->is_string()) fail(key, "expected a string");
        return std::string(v->get_string());
    }
    bool boolean(std::string_view key) const {
        const json::value* v = find(key);
        if (!v || !v->is_bool()) fail(key, "expected true or false");
        return v->get_bool();
    }
    template <typename E>
    E enumeration(std::string_view key, std::optional<E> (*parse)(std::string_view)) const {
        auto e = parse(text(key));
        if (!e) fail(key, "unknown value");
        return *e;
    }
    // An array of objects, each read by `read` with its index in the path ("parts[1]").
    // Null (or absent, when the rules allow) is an empty list.
    template <typename T>
    std::vector<T> list(std::string_view key, T (*read)(const Fields&)) const {
        std::vector<T> out;
        const json::value* v = find(key);
        if (!v || v->is_null()) return out;
        if (!v->is_array()) fail(key, "expected an array");
        const auto& a = v->get_array();
        out.reserve(a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            out.push_back(read(Fields(a[i], at(key) + "[" + std::to_string(i) + "]", *rules_)));
        return out;
    }
    std::vector<std::string> strings(std::string_view key) const {
        std::vector<std::string> out;
        const json::value* v = find(key);
        if (!v || v->is_null()) return out;
        if (!v->is_array()) fail(key, "expected an array");
        const auto& a = v->get_array();
        out.reserve(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!a[i].is_string()) fail(std::string(key) + "[" + std::to_string(i) + "]", "expected a string");
            out.emplace_back(a[i].get_string());
        }
        return out;
    }

    std::string at(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

    [[noreturn]] void fail(std::string_view key, std::string_view what) const {
        auto where = key.empty() ? (path_.empty() ? std::string(rules_->whole) : path_) : at(key);
        rules_->raise(where + ": " + std::string(what));
        std::abort();  // raise always throws; never read on past a failed field
    }

private:
    // The field, or nullptr when absent (refused as "missing" when the rules want every field).
    const json::value* find(std::string_view key) const {
        const json::value* v = obj_->if_contains(key);
        if (!v && !rules_->absent_is_null) fail(key, "missing");
        return v;
    }

    const Rules* rules_;
    const json::object* obj_ = nullptr;
    std::string path_;
};

}  // namespace muster::json_fields
