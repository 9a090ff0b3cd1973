#pragma once
// Outbox entries as the worker hands them to a target, made without a hub (the target
// tests): a record's JSON from central::to_json and the idempotency key the store makes.
#include "muster/central/central_record.hpp"
#include "muster/store/central_outbox.hpp"

#include <string>
#include <vector>

namespace muster::test {

inline store::DeliveryItem delivery_item(int n, const std::string& target = "crm", int version = 1) {
    central::CentralRecord r;
    r.record_id = "rec-" + std::to_string(n);
    r.version = version;
    r.cause = "sign_off";
    r.event_id = 7;
    r.event_title = "Conference 1";
    r.event_date = "2025-10-01";
    r.participant_id = n;
    r.first_name = "Siân";
    r.last_name = "O'Brien";
    r.trn = "0123456";
    r.status = AttendanceStatus::present;
    r.evidence = central::EvidenceHeld::training_event_attended;
    store::DeliveryItem i;
    i.delivery_id = n;
    i.target = target;
    i.record_id = r.record_id;
    i.version = version;
    i.correction = version > 1;
    i.idempotency_key = target + ":" + r.record_id + ":" + std::to_string(version);
    i.payload = central::to_json(r);
    i.attempts = 1;
    return i;
}

inline std::vector<store::DeliveryItem> delivery_items(int count) {
    std::vector<store::DeliveryItem> out;
    for (int n = 1; n <= count; ++n) out.push_back(delivery_item(n));
    return out;
}

}  // namespace muster::test
