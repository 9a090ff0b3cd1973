#pragma once
// The reconciliation pages' JSON (docs/reconciliation.md, "The API"): the store's structs
// written as the pages read them. Times go both as milliseconds (for sorting) and as hub
// local text ("09:02", "2026-11-12 16:40"), so every browser shows the hub's clock whatever
// its own time zone.
#include "muster/store/reconciliation_store.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <span>

namespace muster::server {

boost::json::object overview_json(std::span<const store::EventOverview> events, TimeMs now);
boost::json::object reconciliation_json(const store::EventReconciliation& rec);
boost::json::object audit_json(EventId event, std::span<const store::AuditEntry> entries);
boost::json::object sign_off_json(const store::SignOff& s);

}  // namespace muster::server
