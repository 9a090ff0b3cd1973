#pragma once
// The one reader for the TOML files a device or a hub is set up with (the device file, the
// server file). Fields are named by their path, "section.key", and so are the errors: a
// field that cannot be used throws muster::ConfigError "<file>: server.port: must be
// between 0 and 65535". toml++ stays inside the .cpp: it is heavy to compile.
#include "muster/util/config_error.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::config {

class TomlFile {
public:
    enum class Kind { absent, text, integer, boolean, other };

    // Parses `file`. A file that cannot be read or is not TOML throws ConfigError
    // "<file>:<line>: not valid TOML: <why>".
    explicit TomlFile(const std::filesystem::path& file);
    // Parses `text` as the contents of `file` (which need not exist): errors name `file`
    // and relative paths are against its folder, as above. For text held in memory (the
    // fuzz targets, tests/fuzz/toml_config) without a round trip through the disk.
    TomlFile(const std::filesystem::path& file, std::string_view text);
    ~TomlFile();
    TomlFile(const TomlFile&) = delete;
    TomlFile& operator=(const TomlFile&) = delete;

    const std::filesystem::path& file() const { return file_; }  // absolute
    Kind kind(std::string_view field) const;
    bool has(std::string_view field) const { return kind(field) != Kind::absent; }
    // Arrays of tables ([[central.target]]): how many tables `array_field` holds (0 when
    // absent; ConfigError when it is something else). Their fields are addressed with the
    // index, "central.target[1].url", and errors name that path.
    std::size_t count(std::string_view array_field) const;

    // nullopt when absent; ConfigError when present with another type.
    std::optional<std::string> text(std::string_view field) const;
    std::optional<std::int64_t> integer(std::string_view field) const;
    std::optional<bool> flag(std::string_view field) const;
    // A number, whole or with a fraction (a rate).
    std::optional<double> number(std::string_view field) const;
    // One string or a list of strings (`url = "a"` or `url = ["a", "b"]`): nullopt when
    // absent; ConfigError naming the entry ("server.url[1]") when one is not a string.
    std::optional<std::vector<std::string>> text_list(std::string_view field) const;

    // `fallback` when absent; with no fallback, absent is "<field>: missing".
    std::string text(std::string_view field, std::optional<std::string> fallback) const;
    std::int64_t integer(std::string_view field, std::optional<std::int64_t> fallback) const;
    bool flag(std::string_view field, bool fallback) const;
    // A whole number from lo to hi inclusive.
    std::int64_t integer_between(std::string_view field, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const;
    // A file named in the file: relative paths are against the file's folder; never empty.
    std::filesystem::path path(std::string_view field, std::optional<std::string> fallback = std::nullopt) const;

    // For checks the reader cannot know (a range of words, a prefix): the same error shape.
    [[noreturn]] void fail(std::string_view field, std::string_view what) const;

private:
    struct Document;
    std::filesystem::path file_;
    std::unique_ptr<Document> document_;
};

}  // namespace muster::config
