#include "scan_report.hpp"

#include "muster/time/uk_time.hpp"

#include <cstdio>

namespace muster::kiosk {

std::string json_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out.push_back(c);  // UTF-8 passes through
                }
        }
    }
    return out;
}

std::string scan_report_json(const checkin::ScanResult& r, InputKind input) {
    const CheckIn& c = r.record;
    auto str = [](std::string_view s) { return "\"" + json_escape(s) + "\""; };
    std::string out = "{\"outcome\":" + str(to_string(r.decision.outcome)) + ",\"reason\":" + str(r.decision.reason);
    out += ",\"participant_id\":" + (c.participant_id ? std::to_string(*c.participant_id) : std::string("null"));
    out += ",\"name\":" + (r.participant ? str(r.participant->public_name()) : std::string("null"));
    out += ",\"role\":" + (r.participant ? str(label(r.participant->role)) : std::string("null"));
    out += ",\"room\":" + (r.room_name ? str(*r.room_name) : std::string("null"));
    out += ",\"check_in\":" + str(c.uuid) + ",\"device_seq\":" + std::to_string(c.device_seq);
    out += ",\"time\":" + str(uk_time::format_iso_utc(c.device_ms)) + ",\"local_time\":" + str(uk_time::format_hhmm(c.device_ms));
    out += ",\"first_seen\":" + (r.decision.first_seen_ms ? str(uk_time::format_hhmm(*r.decision.first_seen_ms)) : std::string("null"));
    out += ",\"method\":" + str(to_string(c.method)) + ",\"input\":" + str(to_string(input)) + "}";
    return out;
}

}  // namespace muster::kiosk
