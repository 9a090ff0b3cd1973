#pragma once
// The outbox's pieces shared by its files (central_outbox_*.cpp); not a public header.
// Callers see muster/store/central_outbox.hpp.
#include "muster/central/central_record.hpp"
#include "muster/store/central_outbox.hpp"
#include "muster/store/reconciliation_store.hpp"

#include "../reconciliation_facts.hpp"

#include <unordered_map>
#include <vector>

namespace muster::store::outbox {

// The expected people of the facts, by id: what a record says about the person (the view
// keeps only their name and school).
std::unordered_map<ParticipantId, Participant> expected_people(const recon::EventFacts& facts);

// One expected row as a record (record_id, version, created_ms and cause left to the caller).
// The view must be read with Histories::full (the scans and marks behind the row).
central::CentralRecord record_of(db::Database& db, const EventReconciliation& view, const ReconcileRow& row,
                                 const Participant& person, TimeMs signed_off_ms);

// Version 1 of every expected row's record, queued for every active target (nothing when
// there is none), from a reconciliation already read in the caller's transaction: the
// sign-off reads the event once for its checks and its records. People who already have a
// record at the event are left out. Returns the records written.
int queue_sign_off(db::Database& db, const EventReconciliation& view,
                   const std::unordered_map<ParticipantId, Participant>& people, TimeMs signed_off_ms, TimeMs now);

// After amendments on a signed-off event: each person's record made again (`who`: the
// people and each one's amendment reason) and, when it changed, written as the next version
// and queued (central_outbox.hpp, queue_amended_record). Many people at once (a bulk
// marking) read the event's facts once. Returns the versions written.
int queue_amended(db::Database& db, EventId event, const std::vector<std::pair<ParticipantId, std::string>>& who,
                  TimeMs now);

// The names of the active targets (one small read; the outbox's writes follow it).
std::vector<std::string> active_target_names(db::Database& db);

}  // namespace muster::store::outbox
