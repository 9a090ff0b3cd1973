#pragma once
// The reconciliation pages' JSON (docs/reconciliation.md, "The API"): the store's structs
// written as the pages read them. Times go both as milliseconds (for sorting) and as hub
// local text ("09:02", "2026-11-12 16:40"), so every browser shows the hub's clock whatever
// its own time zone.
//
// The event's reply carries no histories (only their counts): one person's history is its
// own reply (history_json), fetched when the page opens it. The big replies (an event of
// 1,000 people is over half a megabyte) are written straight into one string rather than
// built as a boost::json tree and serialised: the tree cost more than reading the event from
// SQLite (bench/server/bench_reconcile_page.cpp).
#include "muster/store/reconciliation_store.hpp"

#include <boost/json/object.hpp>

#include <span>
#include <string>

namespace muster::server {

std::string overview_json(std::span<const store::EventOverview> events, TimeMs now);
std::string reconciliation_json(const store::EventReconciliation& rec, TimeMs now);
// GET /staff/api/events/{id}/participants/{pid}: the person's row (or unexpected row) and
// their whole history here.
std::string history_json(EventId event, ParticipantId participant, const store::ParticipantHistory& h, TimeMs now);
std::string audit_json(EventId event, std::span<const store::AuditEntry> entries);
boost::json::object sign_off_json(const store::SignOff& s);

}  // namespace muster::server
