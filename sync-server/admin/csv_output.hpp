#pragma once
// `--csv` and `--out FILE` of the commands that offer a table as CSV for Excel (docs/exports.md):
// the CSV on standard output, or written to a file whole (or not at all, leaving any earlier
// file as it was).
#include "command.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace muster::admin {

struct CsvOutput {
    bool wanted = false;              // --csv or --out
    std::optional<std::string> path;  // --out
};

// Reads --csv and --out; an empty --out is a usage error.
CsvOutput csv_output_option(const Args& a);

// Puts `text` (`rows` data rows) where `where` says; returns the exit code. `command` names the
// command in a failure ("muster event audit").
int put_csv(const CsvOutput& where, const std::string& text, std::size_t rows, const std::string& command, Context& ctx);

}  // namespace muster::admin
