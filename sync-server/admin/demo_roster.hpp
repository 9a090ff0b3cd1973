#pragma once
// A believable roster for the demo hub: schools with URNs, ECTs in years 1 and 2,
// mentors, induction tutors, facilitators, NPQ participants and hub staff, with the
// accents and apostrophes real rosters have. Deterministic for a given seed.
#include <string>

namespace muster::admin {

struct DemoRosterSize {
    int ect_year1 = 72;
    int ect_year2 = 48;
    int mentors = 60;
    int facilitators = 10;
    int npq = 20;
    int hub_staff = 3;
};

// The roster as a CSV file, exactly as a hub would receive one (CRLF, quoted fields).
std::string demo_roster_csv(const DemoRosterSize& size, unsigned seed = 2025);

}  // namespace muster::admin
