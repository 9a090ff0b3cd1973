#include "demo_roster.hpp"

#include "muster/csv/csv_reader.hpp"

#include <array>
#include <random>
#include <set>
#include <string_view>

namespace muster::admin {
namespace {

constexpr std::array<std::string_view, 40> first_names = {
    "Siân", "Zoë", "Niamh", "Aoife", "Dafydd", "Rhys", "Chloé", "Seán", "Ffion", "Oluwaseun",
    "Priya", "Mohammed", "Aisha", "Tomasz", "Zofia", "Kwame", "Grace", "Oliver", "Amelia", "Harry",
    "Isla", "Jack", "Olivia", "Noah", "Ava", "Leo", "Freya", "Arjun", "Fatima", "Ciarán",
    "Éabha", "Bethan", "Gethin", "Hannah", "Ellie", "Samuel", "Yusuf", "Mei", "Joanna", "Daniel"};
constexpr std::array<std::string_view, 30> last_names = {
    "O'Brien", "Ó Súilleabháin", "Jones", "Williams", "Patel", "Khan", "Smith", "Taylor", "Brown", "Evans",
    "Davies", "Nowak", "Okafor", "Mensah", "Hughes", "Wright", "Thompson", "Ahmed", "Chen", "Murphy",
    "MacDonald", "Llewellyn", "Fitzgerald", "Ali", "Begum", "Walker", "Robinson", "Clarke", "Kowalski", "Singh"};

struct School {
    std::string_view name;
    std::string_view domain;
};
constexpr std::array<School, 12> schools = {{
    {"Northbridge Primary School", "northbridge-pri.sch.uk"},
    {"St Aidan's CofE Academy", "staidans.org.uk"},
    {"Riverside Community College", "riverside-cc.org.uk"},
    {"Oakfield Junior School", "oakfield-jun.sch.uk"},
    {"Brook Lane Infant School", "brooklane.sch.uk"},
    {"Holy Family Catholic High School", "holyfamily.org.uk"},
    {"Westgate Academy", "westgate-academy.org.uk"},
    {"Millbrook Primary", "millbrook.sch.uk"},
    {"Castleview School", "castleview.org.uk"},
    {"Ashgrove Free School", "ashgrove.org.uk"},
    {"Kingsmead Primary", "kingsmead.sch.uk"},
    {"Greenhill Academy", "greenhill.org.uk"},
}};

// ASCII for an email's local part: accents dropped, apostrophes and spaces removed.
std::string email_part(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        auto c = static_cast<unsigned char>(name[i]);
        if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
        else if (c >= 'a' && c <= 'z') out.push_back(static_cast<char>(c));
        else if (c == 0xC3 && i + 1 < name.size()) {
            // Latin-1 supplement letters used above: á é ë í ó ú Ó É -> a e e i o u o e
            auto d = static_cast<unsigned char>(name[++i]);
            if (d == 0xA1) out.push_back('a');
            else if (d == 0xA9 || d == 0xAB || d == 0x89) out.push_back('e');
            else if (d == 0xAD) out.push_back('i');
            else if (d == 0xB3 || d == 0x93) out.push_back('o');
            else if (d == 0xBA) out.push_back('u');
            else if (d == 0xA2) out.push_back('a');
        } else if (c == 0xC2 || c >= 0x80) {
            continue;
        }
    }
    return out;
}

}  // namespace

std::string demo_roster_csv(const DemoRosterSize& size, unsigned seed) {
    std::mt19937 rng(seed);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    std::set<std::string> used_trn, used_email;
    std::string csv = "First name,Surname,Email address,TRN,School,School URN,Role,Programme,Cohort,Year,Part-time\r\n";
    std::array<std::string, schools.size()> urns;
    for (auto& u : urns) u = std::to_string(100000 + rng() % 900000);

    auto add = [&](std::string_view role, std::string_view programme, int cohort, int year, bool with_school) {
        std::string first(first_names[pick(first_names.size())]);
        std::string last(last_names[pick(last_names.size())]);
        std::size_t s = pick(schools.size());
        std::string email;
        for (int n = 1;; ++n) {
            email = email_part(first) + "." + email_part(last) + (n > 1 ? std::to_string(n) : "") + "@" +
                    std::string(with_school ? schools[s].domain : "northbridge-hub.org.uk");
            if (used_email.insert(email).second) break;
        }
        std::string trn;
        if (role != "Hub staff" && role != "Guest") {
            do trn = std::to_string(rng() % 10000000); while (!used_trn.insert(trn).second);
            trn = std::string(7 - trn.size(), '0') + trn;
            // One in twelve arrives as a spreadsheet left it: leading zero lost.
            if (trn[0] == '0' && rng() % 12 == 0) trn = trn.substr(1);
        }
        csv += csv::quote(first) + "," + csv::quote(last) + "," + email + "," + trn + "," +
               (with_school ? csv::quote(schools[s].name) + "," + urns[s] : std::string(",")) + "," + std::string(role) +
               "," + std::string(programme) + "," + (cohort ? std::to_string(cohort) : "") + "," +
               (year ? std::to_string(year) : "") + "," + (rng() % 15 == 0 && role == "ECT" ? "yes" : "no") + "\r\n";
    };
    for (int i = 0; i < size.ect_year1; ++i) add("ECT", "ECT programme", 2025, 1, true);
    for (int i = 0; i < size.ect_year2; ++i) add("ECT", "ECT programme", 2024, 2, true);
    for (int i = 0; i < size.mentors; ++i) add("Mentor", "Mentor training", 2025, 0, true);
    for (std::size_t i = 0; i < schools.size(); ++i) add("Induction tutor", "", 0, 0, true);
    for (int i = 0; i < size.facilitators; ++i) add("Facilitator", "", 0, 0, true);
    for (int i = 0; i < size.npq; ++i) add("NPQ", "NPQ Leading Teaching", 2025, 0, true);
    for (int i = 0; i < size.hub_staff; ++i) add("Hub staff", "", 0, 0, false);
    return csv;
}

}  // namespace muster::admin
