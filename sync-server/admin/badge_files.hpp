#pragma once
// `muster badges files`: a badge card a person (PNG) in a folder, and badges.csv naming each
// person's file for a mail merge, so a hub can send badges before the day.
#include "muster/model/types.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace muster::admin {

// A participant with the signed token of their current badge.
struct SignedBadge {
    Participant participant;
    std::string token;
};

struct BadgesToPrint {
    std::vector<SignedBadge> ready;
    std::size_t without = 0;  // people in scope with no current badge
};

inline constexpr const char* badge_csv_name = "badges.csv";

// "0042-sian-obrien": the id (four digits at least) and the name folded to lower-case ASCII,
// so no character of a name can make a path, and files sort by id. Just "0042" when nothing
// of the name is left.
std::string badge_file_stem(const Participant& p);

// badges.csv: first_name (as the person prefers it), last_name, email, file (relative to the
// folder); CRLF, quoted where needed, a cell a spreadsheet would take as a formula defused.
std::string badge_mail_merge_csv(const std::vector<SignedBadge>& badges);

struct WrittenFiles {
    std::size_t cards = 0;
    std::size_t without_email = 0;
};

// Renders every card first (a missing font writes nothing), then writes each file whole
// (replace_private_file) and badges.csv last. The folder is made (mode 0700) when missing;
// one that exists is used as it is. Throws std::runtime_error naming what failed.
WrittenFiles write_badge_files(const std::filesystem::path& dir, const std::string& hub_name,
                               const std::vector<SignedBadge>& badges);

}  // namespace muster::admin
