#include "scan_report.hpp"

#include "muster/time/uk_time.hpp"

#include <boost/json.hpp>

namespace muster::kiosk {

// Field order is part of the format (README, "The kiosk"): boost::json::object keeps the
// order fields are inserted in. Absent values are null, never "".
std::string scan_report_json(const checkin::ScanResult& r, InputKind input) {
    const CheckIn& c = r.record;
    boost::json::object out;
    out["outcome"] = to_string(r.decision.outcome);
    out["reason"] = r.decision.reason;
    out["participant_id"] = c.participant_id ? boost::json::value(*c.participant_id) : nullptr;
    out["name"] = r.participant ? boost::json::value(r.participant->public_name()) : nullptr;
    out["role"] = r.participant ? boost::json::value(label(r.participant->role)) : nullptr;
    out["room"] = r.room_name ? boost::json::value(*r.room_name) : nullptr;
    out["check_in"] = c.uuid;
    out["device_seq"] = c.device_seq;
    out["time"] = uk_time::format_iso_utc(c.device_ms);
    out["local_time"] = uk_time::format_hhmm(c.device_ms);
    out["first_seen"] = r.decision.first_seen_ms ? boost::json::value(uk_time::format_hhmm(*r.decision.first_seen_ms)) : nullptr;
    out["method"] = to_string(c.method);
    out["input"] = to_string(input);
    return boost::json::serialize(out);
}

std::string scan_failure_json(std::string_view outcome, std::string_view reason) {
    boost::json::object out;
    out["outcome"] = outcome;
    out["reason"] = reason;
    return boost::json::serialize(out);
}

std::string not_recorded_reason(const db::Error& error) {
    constexpr int sqlite_full = 13;  // SQLITE_FULL: the disk (or the database's limit) is full
    std::string why = error.code() == sqlite_full ? "The kiosk's storage is full" : "The kiosk could not write to its storage";
    return why + ": this scan was not recorded. Please see the desk.";
}

}  // namespace muster::kiosk
