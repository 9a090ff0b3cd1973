#pragma once
// Where a command's CSV goes: `--csv` to standard output, or `--out FILE` written whole (the
// file is replaced at once, mode 0600, so a failed write leaves any earlier file there as it
// was). One place for the rule, so every report command behaves the same.
#include "cli_args.hpp"
#include "command.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace muster::admin {

struct CsvDestination {
    bool wanted = false;                  // --csv or --out given
    std::optional<std::string> out_path;  // --out FILE
};
// Reads --csv and --out (UsageError for an empty --out).
CsvDestination csv_destination(const Args& a);

// Writes `text` to the destination. `command` names the command in errors ("muster event
// audit"); `rows` is reported after a file is written ("Wrote 12 row(s) to FILE"). Returns the
// exit code: 0, or 1 when the file could not be written (said on ctx.err).
int write_csv_output(Context& ctx, std::string_view command, const CsvDestination& to, const std::string& text,
                     std::size_t rows);

}  // namespace muster::admin
