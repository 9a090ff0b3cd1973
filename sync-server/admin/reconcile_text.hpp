#pragma once
// What the reconciliation commands (`muster attendance show|mark|void|history`, `muster event
// sign-off|audit`) share: the words for the core's refusals, times and columns. The core is
// muster/store/reconciliation_store.hpp, the same functions the staff pages call.
#include "command.hpp"

#include "muster/store/reconciliation_store.hpp"
#include "muster/time/uk_time.hpp"

#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace muster::admin {

std::vector<Command> reconcile_commands();   // attendance show, history
std::vector<Command> correction_commands();  // attendance mark, void
std::vector<Command> sign_off_commands();    // event sign-off, audit

// The hub's terminal makes corrections without an account: the author is a name (--author).
inline store::CorrectionAuthor terminal_author(const Args& a) {
    return {std::nullopt, a.require_text("author", 80)};
}

inline std::string hhmm_or_dash(const std::optional<TimeMs>& t) { return t ? uk_time::format_hhmm(*t) : "-"; }

// Pads to `width` characters (not bytes: names carry accents), then one space.
inline std::string column(std::string s, std::size_t width) {
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars < width) s.append(width - chars, ' ');
    return s + ' ';
}

// The core names a field as the pages send it ("caught_up_on: before the event"); the
// terminal's user knows it as an option (--caught-up-on).
inline std::string with_option_names(const std::string& problem) {
    static const std::pair<const char*, const char*> fields[] = {
        {"caught_up_on", "--caught-up-on"}, {"attended_event_id", "--attended-event"}, {"target_uuid", "--scan/--mark"},
        {"amendment_reason", "--amendment-reason"}, {"evidence", "--evidence"}, {"reason", "--reason"},
        {"note", "--note"}, {"author", "--author"}, {"uuid", "--uuid"}};
    auto colon = problem.find(':');
    if (colon == std::string::npos) return problem;
    for (const auto& [field, option] : fields)
        if (problem.compare(0, colon, field) == 0) return option + problem.substr(colon);
    return problem;
}

// Why the core refused a correction, in words a hub's staff can act on; the exit code in `code`
// (2 when the command line must change, 1 otherwise).
inline std::string refusal_words(const store::CorrectionResult& r, const store::StaffCorrection& c, int& code) {
    const std::string event = "event " + std::to_string(c.event_id);
    code = 2;
    switch (r.outcome) {
        case store::CorrectionOutcome::stored:
        case store::CorrectionOutcome::already: code = 0; return {};
        case store::CorrectionOutcome::amendment_reason_needed:
            return event + " is signed off: a change needs --amendment-reason (why it changes after sign-off)";
        case store::CorrectionOutcome::not_found:
            return r.problem.empty() ? "participant " + std::to_string(c.participant_id) + " is neither expected nor scanned at " +
                                           event + ", or what it names does not exist (see: muster attendance show --event " +
                                           std::to_string(c.event_id) + ")"
                                     : r.problem;
        case store::CorrectionOutcome::invalid:
            return r.problem.empty() ? "the correction is not well formed" : with_option_names(r.problem);
        case store::CorrectionOutcome::conflict:
            code = 1;
            return "a correction with the uuid " + c.uuid + " is already stored with other content; nothing changed";
        case store::CorrectionOutcome::batch_refused:
            code = 1;
            return "not written, because another in the same batch was refused";
    }
    return r.problem;
}

}  // namespace muster::admin
