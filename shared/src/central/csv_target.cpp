// The `csv` target: a file per batch for CRMs that import spreadsheets (docs/central.md,
// "File targets"). One row per record version with everything a CRM's import maps: the
// participant, the event, the status with its session parts, the evidence and the scans
// behind it; batch id, record id, version and idempotency key so a re-import of the same
// file, or of a retried batch, removes its duplicates.
#include "file_target.hpp"

#include "muster/csv/csv_writer.hpp"
#include "muster/time/uk_time.hpp"

#include <algorithm>
#include <ostream>

namespace muster::central {
namespace {

using detail::FileRow;
using detail::yes_no;

void optional_text(csv::Writer& w, const std::optional<std::string>& s) { s ? w.text(*s) : w.empty(); }
void optional_hhmm(csv::Writer& w, const std::optional<TimeMs>& t) { t ? w.text(uk_time::format_hhmm(*t)) : w.empty(); }

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : " ") + v;
    return out;
}

class CsvTarget final : public detail::FileTarget {
public:
    using FileTarget::FileTarget;

protected:
    void write_rows(std::ostream& out, std::string_view batch_id, std::span<const FileRow> rows) const override {
        // A batch may hold records of several events: as many part columns as the widest.
        std::size_t parts = 0;
        for (const auto& r : rows) parts = std::max(parts, r.record.parts.size());
        std::vector<std::string> names = {"batch_id",   "record_id",  "version",      "correction",   "idempotency_key",
                                          "event_id",   "participant_id", "first_name", "last_name", "trn",
                                          "email",      "role",       "school",       "school_urn",   "event_date",
                                          "event_title", "programme", "course",       "venue",        "status",
                                          "status_label", "minutes_late", "left_early", "checked_out"};
        for (std::size_t i = 1; i <= parts; ++i)
            for (const char* what : {" name", " attended", " in", " minutes late"})
                names.push_back("Part " + std::to_string(i) + what);
        for (const char* n : {"evidence", "evidence_note", "caught_up_on", "alternate_event_date", "reason", "check_in_uuids"})
            names.push_back(n);
        std::vector<std::string_view> header(names.begin(), names.end());
        // Plain identifiers: an import reads cells literally, and ="0012345" would be its TRN.
        csv::Writer w(out, std::span<const std::string_view>(header), csv::IdentifierStyle::plain);
        for (const auto& row : rows) {
            const auto& item = *row.item;
            const auto& r = row.record;
            w.text(batch_id).text(item.record_id).number(item.version).text(yes_no(item.correction)).text(item.idempotency_key);
            w.number(r.event_id).number(r.participant_id).text(r.first_name).text(r.last_name);
            r.trn ? w.identifier(*r.trn) : w.empty();
            optional_text(w, r.email);
            w.text(label(r.role));
            optional_text(w, r.school_name);
            r.school_urn ? w.identifier(*r.school_urn) : w.empty();
            w.text(r.event_date).text(r.event_title).text(r.programme).text(r.course).text(r.venue);
            w.text(to_string(r.status)).text(label(r.status));
            r.minutes_late ? w.number(*r.minutes_late) : w.empty();
            w.text(yes_no(r.left_early));
            optional_hhmm(w, r.checked_out_ms);
            for (std::size_t i = 0; i < parts; ++i) {
                if (i >= r.parts.size()) {
                    w.empty().empty().empty().empty();
                    continue;
                }
                const auto& p = r.parts[i];
                w.text(p.name).text(yes_no(p.attended));
                optional_hhmm(w, p.in_ms);
                p.minutes_late ? w.number(*p.minutes_late) : w.empty();
            }
            w.text(label(r.evidence)).text(r.evidence_note);
            optional_text(w, r.caught_up_on);
            w.text(r.alternate_event_date).text(r.reason).text(joined(r.check_in_uuids));
            w.end_row();
        }
    }
};

}  // namespace

std::unique_ptr<DeliveryTarget> make_csv_target(const TargetConfig& config) {
    return std::make_unique<CsvTarget>(config);
}

}  // namespace muster::central
