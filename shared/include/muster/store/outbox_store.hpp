#pragma once
// A device's outbox: its records the hub has not acknowledged yet. A record leaves only
// when the hub stores it; a permanent refusal keeps it, with the reason, for staff.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

enum class OutboxKind { check_in, correction };

struct OutboxCounts {
    std::size_t pending = 0;
    std::size_t rejected = 0;
};
OutboxCounts outbox_counts(db::Database& db);

struct OutboxItem {
    std::string uuid;
    OutboxKind kind = OutboxKind::check_in;
};
// The oldest records still to send (not refused), at most `limit`.
std::vector<OutboxItem> outbox_next(db::Database& db, std::size_t limit);
// Every record in the outbox, refused ones too, oldest first (`muster device import`).
std::vector<OutboxItem> outbox_all(db::Database& db);
// The hub stored it: it leaves the outbox.
void outbox_remove(db::Database& db, const std::string& uuid);
// The hub refused it for good: kept, never sent again, the reason shown to staff.
void outbox_refuse(db::Database& db, const std::string& uuid, const std::string& reason);
// One more failed attempt, and what went wrong.
void outbox_note_failure(db::Database& db, const std::string& uuid, const std::string& error);

// The outbox as staff see it, newest first, with what each record is.
struct OutboxEntry {
    TimeMs queued_ms = 0;
    OutboxKind kind = OutboxKind::check_in;
    std::string uuid;
    int attempts = 0;
    std::string problem;                          // the refusal, else the last error, else ""
    std::optional<Outcome> outcome;               // a check-in's
    std::string correction_kind;                  // a correction's: "void" or "mark"
    std::optional<ParticipantId> participant_id;  // whom the record is about
};
std::vector<OutboxEntry> outbox_entries(db::Database& db, std::size_t limit);

}  // namespace muster::store
