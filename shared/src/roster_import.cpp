// Writing a validated roster into the database in one transaction.
#include "muster/roster/roster_import.hpp"

#include "muster/store/participant_store.hpp"
#include "muster/util/text.hpp"

namespace muster::roster {

ImportReport import_roster(db::Database& db, std::string_view csv_text, const ImportOptions& options) {
    ParsedRoster parsed = parse_roster(csv_text);
    ImportReport report;
    report.rows = parsed.rows.size();
    report.warnings = std::move(parsed.warnings);
    report.errors = std::move(parsed.errors);
    if (!report.errors.empty()) return report;  // all-or-nothing: nothing written

    db::Transaction tx(db);
    std::int64_t change = store::next_change(db);
    const std::size_t total = parsed.rows.size();
    for (std::size_t i = 0; i < total; ++i) {
        const Row& row = parsed.rows[i];
        const Participant& p = row.person;
        std::optional<ParticipantId> by_trn = p.trn ? store::find_participant_by_trn(db, *p.trn) : std::nullopt;
        std::optional<ParticipantId> by_email = p.email ? store::find_participant_by_email(db, *p.email) : std::nullopt;
        if (by_trn && by_email && *by_trn != *by_email) {
            report.errors.push_back({row.line, "", "TRN " + *p.trn + " and email " + *p.email +
                                                       " belong to two different people already on the roster"});
            continue;
        }
        std::optional<ParticipantId> id = by_trn ? by_trn : by_email;
        if (!id) {
            store::insert_participant(db, p, change);
            ++report.inserted;
        } else if (store::update_participant(db, *id, p, change)) {
            ++report.updated;
        } else {
            ++report.unchanged;
        }
        if (options.progress && (i % 5000 == 4999 || i + 1 == total)) options.progress(i + 1, total);
    }
    report.rows = total;
    if (!report.errors.empty() || options.dry_run) return report;  // the transaction rolls back
    tx.commit();
    report.committed = true;
    return report;
}

}  // namespace muster::roster
