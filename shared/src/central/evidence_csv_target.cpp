// The `evidence-csv` target: what a lead provider needs for its declarations to the DfE
// (docs/central.md, "File targets"): who (name, TRN), which training (event date, programme,
// course) and the evidence the hub holds (training event attended, caught up, none), with
// record id, version and batch id so a correction can be matched to what it corrects.
#include "file_target.hpp"

#include "muster/csv/csv_writer.hpp"

#include <ostream>

namespace muster::central {
namespace {

using detail::FileRow;
using detail::yes_no;

class EvidenceCsvTarget final : public detail::FileTarget {
public:
    using FileTarget::FileTarget;

protected:
    void write_rows(std::ostream& out, std::string_view batch_id, std::span<const FileRow> rows) const override {
        // Plain identifiers: a lead provider's upload reads the TRN literally.
        csv::Writer w(out,
                      {"participant", "trn", "event_date", "programme", "course", "evidence_held", "caught_up_on",
                       "record_id", "version", "correction", "batch_id", "idempotency_key"},
                      csv::IdentifierStyle::plain);
        for (const auto& row : rows) {
            const auto& r = row.record;
            w.text(r.first_name + " " + r.last_name);
            r.trn ? w.identifier(*r.trn) : w.empty();
            w.text(r.event_date).text(r.programme).text(r.course).text(label(r.evidence));
            r.caught_up_on ? w.text(*r.caught_up_on) : w.empty();
            w.text(row.item->record_id).number(row.item->version).text(yes_no(row.item->correction)).text(batch_id);
            w.text(row.item->idempotency_key);
            w.end_row();
        }
    }
};

}  // namespace

std::unique_ptr<DeliveryTarget> make_evidence_csv_target(const TargetConfig& config) {
    return std::make_unique<EvidenceCsvTarget>(config);
}

}  // namespace muster::central
