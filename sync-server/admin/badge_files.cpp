#include "badge_files.hpp"

#include "muster/badge/badge_card.hpp"
#include "muster/csv/csv_reader.hpp"
#include "muster/util/private_files.hpp"

#include <cstdio>
#include <stdexcept>
#include <string_view>

namespace muster::admin {
namespace {

// Lower-case ASCII letters for U+00C0–U+00FF and U+0100–U+017F (Latin-1 and Latin
// Extended-A: Siân, Zoë, Ó Súilleabháin, Łukasz, Ŵyn); '_' drops the character (× ÷).
constexpr std::string_view latin1 = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
                                    "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
constexpr std::string_view latin_ext_a = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkk"
                                         "llllllllllnnnnnnnnnoooooooorrrrrrsssssssstttttt"
                                         "uuuuuuuuuuuuwwyyyzzzzzzs";
static_assert(latin1.size() == 0x100 - 0xc0);
static_assert(latin_ext_a.size() == 0x180 - 0x100);

// The next code point of `s` from `i` (advancing it); 0 for a malformed sequence.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    auto c = static_cast<unsigned char>(s[i++]);
    if (c < 0x80) return c;
    int extra = (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    if (extra < 0) return 0;
    char32_t cp = c & (0x3f >> extra);
    for (int k = 0; k < extra; ++k) {
        if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3f);
    }
    return cp;
}

std::string ascii_slug(std::string_view name) {
    std::string out;
    bool gap = false;
    for (std::size_t i = 0; i < name.size();) {
        char32_t cp = next_code_point(name, i);
        char letter = 0;
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) letter = static_cast<char>(cp);
        else if (cp >= 'A' && cp <= 'Z') letter = static_cast<char>(cp - 'A' + 'a');
        else if (cp >= 0xc0 && cp < 0x100) letter = latin1[cp - 0xc0];
        else if (cp >= 0x100 && cp < 0x180) letter = latin_ext_a[cp - 0x100];
        else if (cp == '\'' || cp == 0x2019 || cp == 0x2018) continue;  // O'Brien -> obrien
        if (letter == '_') continue;
        if (letter == 0) {
            gap = !out.empty();
            continue;
        }
        if (gap) out.push_back('-');
        gap = false;
        out.push_back(letter);
        if (out.size() >= 40) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

}  // namespace

std::string badge_file_stem(const Participant& p) {
    char id[24];
    std::snprintf(id, sizeof id, "%04lld", static_cast<long long>(p.id));
    std::string slug = ascii_slug(badge::badge_first_name(p) + " " + p.last_name);
    return slug.empty() ? std::string(id) : std::string(id) + "-" + slug;
}

std::string badge_mail_merge_csv(const std::vector<SignedBadge>& badges) {
    std::string out = "first_name,last_name,email,file\r\n";
    for (const auto& b : badges) {
        const auto& p = b.participant;
        out += csv::quote_for_spreadsheet(badge::badge_first_name(p)) + ',' + csv::quote_for_spreadsheet(p.last_name) + ',' +
               csv::quote_for_spreadsheet(p.email.value_or("")) + ',' + csv::quote_for_spreadsheet(badge_file_stem(p) + ".png") +
               "\r\n";
    }
    return out;
}

WrittenFiles write_badge_files(const std::filesystem::path& dir, const std::string& hub_name,
                               const std::vector<SignedBadge>& badges) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw std::runtime_error(dir.string() + " is a file, not a folder: say --out with a folder for the badges");
    auto fonts = badge::load_card_fonts();
    std::vector<std::pair<fs::path, std::string>> files;
    WrittenFiles written;
    for (const auto& b : badges) {
        files.emplace_back(dir / (badge_file_stem(b.participant) + ".png"),
                           badge::render_badge_card_png(hub_name, b.participant, b.token, fonts));
        if (!b.participant.email || b.participant.email->empty()) ++written.without_email;
    }
    if (!fs::exists(dir, ec)) create_private_folder(dir);  // cards carry names and schools
    for (const auto& [path, png] : files) replace_private_file(path, png);
    replace_private_file(dir / badge_csv_name, badge_mail_merge_csv(badges));
    written.cards = files.size();
    return written;
}

}  // namespace muster::admin
