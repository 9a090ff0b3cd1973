#pragma once
// Marks from the facilitators' tablets (docs/register.md, "Marks from the tablet"): someone
// marked present by hand (forgot their badge), or as having left early, and the undo of such
// a mark. Each is an append-only correction (device_id NULL, so every device of the event
// downloads it), keyed by a UUID the browser made, so a retried POST stores nothing twice.
// Each write advances the change clock and carries it in corrections.sync_seq.
#include "muster/db/database.hpp"
#include "muster/register/register_access.hpp"
#include "muster/register/register_view.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::store {

enum class MarkKind { present, left_early };
std::optional<MarkKind> parse_mark_kind(std::string_view s);
std::string_view to_string(MarkKind k);

// Why someone is marked present by hand; a left-early mark's reason is "left_early".
inline constexpr std::array<std::string_view, 3> present_reasons{"forgot_badge", "badge_failed", "other"};
inline constexpr std::string_view left_early_reason = "left_early";
inline constexpr std::size_t mark_note_chars = 200;
inline constexpr std::size_t mark_author_chars = 80;

struct NewMark {
    std::string uuid;  // made in the browser (UUID v4)
    ParticipantId participant_id = 0;
    MarkKind kind = MarkKind::present;
    std::string reason;
    std::string note;    // may be empty
    std::string author;  // trimmed before it is checked and stored
    SessionId session_id = 0;
    std::optional<RoomId> room_id;  // the register it was made from (nullopt: the whole event)
};

struct NewUndo {
    std::string uuid;         // the undo's own UUID, made in the browser
    std::string target_uuid;  // the mark it undoes
    std::string author;
};

enum class MarkOutcome {
    stored,     // a new record
    already,    // this uuid is stored with the same content: nothing written
    conflict,   // this uuid is stored with other content
    invalid,    // the request is not well formed (problem says why)
    forbidden,  // not this tablet's to do: another room, a person it cannot see, another link's mark
    not_found,  // no such participant / session / mark
};

struct MarkResult {
    MarkOutcome outcome = MarkOutcome::invalid;
    std::string problem;                    // words for the tablet when refused
    std::int64_t change = 0;                // the record's change number (stored or already)
    std::optional<ParticipantId> participant;  // whom it is about (for the log)
    std::optional<MarkKind> kind;
};

// What is wrong with the mark's text and lists (no database): uuid, kind/reason, note,
// author; nullopt when fine. The author is judged trimmed.
std::optional<std::string> problem_in(const NewMark& m);

// Records the mark made through `scope`'s link, in one immediate transaction: the session must
// be the event's; `room_id` one the scope may read; the participant one that register can
// see (on the room's list, or scanned or marked at the room; anyone on the hub for the whole
// event).
MarkResult record_mark(db::Database& db, const register_access::Scope& scope, NewMark mark, TimeMs now);

// Undoes a mark made through the same link (a void correction targeting it). Undoing a mark
// already undone stores nothing and answers `already`.
MarkResult undo_mark(db::Database& db, const register_access::Scope& scope, NewUndo undo, TimeMs now);

// Every present / left-early mark of the session (undone ones flagged, not left out).
std::vector<register_view::Mark> register_marks(db::Database& db, EventId event, SessionId session);

}  // namespace muster::store
