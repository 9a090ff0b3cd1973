#include "muster/config/toml_file.hpp"

#include <toml++/toml.h>

namespace muster::config {

struct TomlFile::Document {
    toml::table root;

    const toml::node* find(std::string_view field) const { return root.at_path(field).node(); }
};

namespace {

// The one shape of "not TOML" for both constructors: "<file>:<line>: not valid TOML: <why>".
template <typename Parse>
toml::table parse_or_throw(const std::filesystem::path& file, Parse parse) {
    try {
        return parse();
    } catch (const toml::parse_error& e) {
        throw ConfigError(file.string() + ":" + std::to_string(e.source().begin.line) + ": not valid TOML: " +
                          std::string(e.description()));
    }
}

}  // namespace

TomlFile::TomlFile(const std::filesystem::path& file)
    : file_(std::filesystem::absolute(file)), document_(std::make_unique<Document>()) {
    document_->root = parse_or_throw(file_, [&] { return toml::parse_file(file_.string()); });
}

TomlFile::TomlFile(const std::filesystem::path& file, std::string_view text)
    : file_(std::filesystem::absolute(file)), document_(std::make_unique<Document>()) {
    document_->root = parse_or_throw(file_, [&] { return toml::parse(text, file_.string()); });
}

TomlFile::~TomlFile() = default;

void TomlFile::fail(std::string_view field, std::string_view what) const {
    throw ConfigError(file_.string() + ": " + std::string(field) + ": " + std::string(what));
}

std::size_t TomlFile::count(std::string_view array_field) const {
    const toml::node* n = document_->find(array_field);
    if (!n) return 0;
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables()) fail(array_field, "must be tables, each started with [[" + std::string(array_field) + "]]");
    return a->size();
}

TomlFile::Kind TomlFile::kind(std::string_view field) const {
    const toml::node* n = document_->find(field);
    if (!n) return Kind::absent;
    if (n->is_string()) return Kind::text;
    if (n->is_integer()) return Kind::integer;
    if (n->is_boolean()) return Kind::boolean;
    return Kind::other;
}

std::optional<std::string> TomlFile::text(std::string_view field) const {
    const toml::node* n = document_->find(field);
    if (!n) return std::nullopt;
    if (!n->is_string()) fail(field, "must be a string in quotes");
    return *n->value<std::string>();
}

std::optional<std::int64_t> TomlFile::integer(std::string_view field) const {
    const toml::node* n = document_->find(field);
    if (!n) return std::nullopt;
    if (!n->is_integer()) fail(field, "must be a whole number");
    return *n->value<std::int64_t>();
}

std::optional<bool> TomlFile::flag(std::string_view field) const {
    const toml::node* n = document_->find(field);
    if (!n) return std::nullopt;
    if (!n->is_boolean()) fail(field, "must be true or false");
    return *n->value<bool>();
}

std::optional<double> TomlFile::number(std::string_view field) const {
    const toml::node* n = document_->find(field);
    if (!n) return std::nullopt;
    if (n->is_integer()) return static_cast<double>(*n->value<std::int64_t>());
    if (!n->is_floating_point()) fail(field, "must be a number");
    return *n->value<double>();
}

std::optional<std::vector<std::string>> TomlFile::text_list(std::string_view field) const {
    const toml::node* n = document_->find(field);
    if (!n) return std::nullopt;
    if (n->is_string()) return std::vector<std::string>{*n->value<std::string>()};
    const toml::array* a = n->as_array();
    if (!a) fail(field, "must be a string in quotes or a list of them, [\"...\", \"...\"]");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < a->size(); ++i) {
        const toml::node& item = *a->get(i);
        if (!item.is_string()) fail(std::string(field) + "[" + std::to_string(i) + "]", "must be a string in quotes");
        out.push_back(*item.value<std::string>());
    }
    return out;
}

std::string TomlFile::text(std::string_view field, std::optional<std::string> fallback) const {
    if (auto v = text(field)) return *v;
    if (!fallback) fail(field, "missing");
    return *fallback;
}

std::int64_t TomlFile::integer(std::string_view field, std::optional<std::int64_t> fallback) const {
    if (auto v = integer(field)) return *v;
    if (!fallback) fail(field, "missing");
    return *fallback;
}

bool TomlFile::flag(std::string_view field, bool fallback) const { return flag(field).value_or(fallback); }

std::int64_t TomlFile::integer_between(std::string_view field, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const {
    const std::int64_t v = integer(field, fallback);
    if (v < lo || v > hi) fail(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return v;
}

std::filesystem::path TomlFile::path(std::string_view field, std::optional<std::string> fallback) const {
    std::filesystem::path p = text(field, std::move(fallback));
    if (p.empty()) fail(field, "must not be empty");
    return p.is_absolute() ? p : file_.parent_path() / p;
}

}  // namespace muster::config
