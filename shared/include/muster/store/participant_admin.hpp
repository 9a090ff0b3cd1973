#pragma once
// People as hub staff manage them from `muster roster`: listed, searched, shown with their
// enrolments and badges, edited field by field, withdrawn and reinstated. The fields are
// validated by the caller through roster::read_cell, as the import validates them.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace muster::store {

class PersonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Person {
    Participant p;
    std::optional<TimeMs> withdrawn_ms;
    std::optional<std::string> withdrawn_reason;
};

struct PersonFilter {
    std::optional<Role> role;
    bool withdrawn_only = false;
};

std::optional<Person> find_person(db::Database& db, ParticipantId id);
// Everyone (or those the filter keeps), by id.
std::vector<Person> list_people(db::Database& db, const PersonFilter& filter = {});
// Everyone whose first, last, preferred or full name, TRN, email or school contains
// `text`, ignoring the case of ASCII letters (accented letters match as stored), by id.
std::vector<Person> search_people(db::Database& db, std::string_view text);

struct EnrolmentLine {
    EventId event_id = 0;
    std::string local_date, title;
    std::optional<std::string> room;
    bool cancelled = false;
};
std::vector<EnrolmentLine> enrolments_of(db::Database& db, ParticipantId id);  // by date
std::vector<std::string> cards_of(db::Database& db, ParticipantId id);           // attached NFC UIDs

// Writes the edited person after checking their TRN and email belong to nobody else
// (PersonError naming the other person's id). Returns false when nothing differs.
bool save_person(db::Database& db, const Participant& p, std::int64_t change);

struct Withdrawal {
    std::vector<EnrolmentLine> removed;  // the events they were taken off
};
// Marks the person withdrawn at `now` with `reason` and takes them off every event dated
// `from_date` (YYYY-MM-DD) or later, in one transaction at one change. PersonError when
// there is no such person or they are already withdrawn.
Withdrawal withdraw_person(db::Database& db, ParticipantId id, const std::string& reason, const std::string& from_date,
                           TimeMs now);
// Clears the withdrawal (no enrolment is made again). PersonError when not withdrawn.
void reinstate_person(db::Database& db, ParticipantId id);

}  // namespace muster::store
