#pragma once
// The satisfaction question's answers (migration 0011, docs/satisfaction.md): kept on the exit
// kiosk until the hub acknowledges them, then at the hub, and reported per event against the
// alliance's KPI (at least 90 % agree the activity will help them improve their practice).
// Nothing here can name who answered: see the migration for why each column is as it is.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"
#include "muster/sync/sync_messages.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace muster::store {

inline constexpr TimeMs satisfaction_hour_ms = 3'600'000;
inline constexpr double satisfaction_target = 0.90;

// ---- the device ----

// Stores one answer given at `now` (kept to the hour) with a fresh random uuid.
sync::SatisfactionAnswer record_satisfaction_answer(db::Database& db, EventId event, std::optional<SessionId> session,
                                                    SatisfactionAnswerKind answer, TimeMs now);
// Answers not yet acknowledged by the hub, at most `limit` (in uuid order: says nothing of
// when they were given).
std::vector<sync::SatisfactionAnswer> pending_satisfaction_answers(db::Database& db, std::size_t limit);
// The hub acknowledged (stored) or refused them for good: the device forgets them.
void forget_satisfaction_answers(db::Database& db, std::span<const std::string> uuids);

// ---- the hub ----

enum class AnswerIntake { stored, already, conflict, invalid };
// Stores an uploaded answer (idempotent by uuid: the same content again is `already`, other
// content under the same uuid a `conflict`). `invalid`: the event or session is not the
// sending device's event's, or the hour is not a whole hour. The caller checks the event.
AnswerIntake store_satisfaction_answer(db::Database& db, const sync::SatisfactionAnswer& a);

struct SatisfactionFigure {
    EventId event_id = 0;
    std::string title, local_date;
    int agree = 0, not_sure = 0, disagree = 0;
    int answers() const { return agree + not_sure + disagree; }
    // agree / answers (nullopt with no answers); "not sure" counts as not agreeing.
    std::optional<double> agree_share() const {
        if (answers() == 0) return std::nullopt;
        return static_cast<double>(agree) / answers();
    }
    bool meets_target() const { return agree_share() && *agree_share() >= satisfaction_target; }
};
// One event's figure (nullopt: no such event; zero counts when it has no answers).
std::optional<SatisfactionFigure> satisfaction_for_event(db::Database& db, EventId event);
// Every event that has answers, newest date first.
std::vector<SatisfactionFigure> satisfaction_by_event(db::Database& db);

}  // namespace muster::store
